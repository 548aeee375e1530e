"""BackpropStepper (lessons 6-7): the order nodes are revealed in, the numbers (nnlib.autodiff's
and the lecture's hand-derived formulas), the written rules, and the view following the model."""

import math
import re

import matplotlib.pyplot as plt
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.colors import to_rgba

from nnlib.autodiff import Tensor, exp, log, relu, sin, tanh
from nnlib.widgets.backprop import (
    BACKWARD_COLOR,
    FORWARD_COLOR,
    GRAPHS,
    BackpropModel,
    BackpropStepper,
    GraphSpec,
    Knob,
    bar,
)

LOGISTIC = "logistic least squares"
FAN_OUT = "f = y + exp(xy), x = cos t, y = t²"


def by_name(model):
    return {node.name: node for node in model.nodes if node.name}


def sigma(z):
    return 1 / (1 + math.exp(-z))


def evaluate(expression: str) -> float:
    """Evaluate a rule's numbers, e.g. "0.5000 · 1.6000 + (-0.0736) · 1.5000"."""
    python = expression.replace("·", "*")
    assert re.fullmatch(r"[0-9.()+\-* ]+", python), expression  # numbers and arithmetic only
    return eval(python, {"__builtins__": {}})


def run_forward(model):
    while model.step_forward():
        pass


def run_both(model):
    run_forward(model)
    while model.step_backward():
        pass


inputs = st.fixed_dictionaries(
    {
        "x": st.floats(-3, 3),
        "t": st.floats(0, 1),
        "w": st.floats(-3, 3),
        "b": st.floats(-3, 3),
        "lam": st.floats(0, 1),
    }
)


# -- the model: order and numbers ---------------------------------------------------------------
@given(inputs)
def test_forward_reveals_each_computed_node_after_its_parents_with_the_lecture_values(values):
    model = BackpropModel(LOGISTIC, **values)
    leaves = {node for node in model.nodes if not node.parents}
    assert model.revealed_values == leaves and model.current is None
    order = []
    while (step := model.step_forward()) is not None:
        node = step.node
        assert step.phase == "forward" and model.current is node
        assert all(parent in model.revealed_values for parent in node.parents)
        assert model.revealed_values == leaves | {*order, node}  # exactly one more
        assert node.name in step.text and f"{node.data.item():.4f}" in step.text
        order.append(node)
    assert order == [node for node in model.nodes if node.parents]  # every computed node once
    assert model.step_forward() is None and model.forward_done

    n, v = by_name(model), values
    z = v["w"] * v["x"] + v["b"]
    y = sigma(z)
    expected = {"z": z, "y": y, "L": 0.5 * (y - v["t"]) ** 2, "R": 0.5 * v["w"] ** 2}
    expected["L_reg"] = expected["L"] + v["lam"] * expected["R"]
    for name, value in expected.items():
        assert n[name].data.item() == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_forward_follows_the_lecture_order_z_y_l_then_r():
    model = BackpropModel(LOGISTIC)
    run_forward(model)
    names = [node.name for node in model.forward_order]
    assert names.index("z") < names.index("y") < names.index("L") < names.index("R")
    assert names[-1] == "L_reg"


@given(inputs)
def test_backward_reveals_error_signals_children_first_and_matches_hand_derivation(values):
    model = BackpropModel(LOGISTIC, **values)
    with pytest.raises(RuntimeError, match="finish the forward pass first"):
        model.step_backward()
    run_forward(model)
    order = []
    while (step := model.step_backward()) is not None:
        node = step.node
        assert step.phase == "backward" and model.current is node
        children = [c for c in model.nodes if node in c.parents]
        assert all(child in model.revealed_grads for child in children)  # v̄ is complete
        order.append(node)
    assert order[0] is model.output
    assert set(order) == {node for node in model.nodes if not model.is_constant(node)}
    assert model.backward_done and model.step_backward() is None

    # The lecture's structured derivation: ȳ = y − t, z̄ = ȳ σ'(z), w̄ = z̄ x + λ w, ...
    n, v = by_name(model), values
    y = sigma(v["w"] * v["x"] + v["b"])
    z_bar = (y - v["t"]) * y * (1 - y)
    hand = {
        "L_reg": 1.0,
        "y": y - v["t"],
        "z": z_bar,
        "w": z_bar * v["x"] + v["lam"] * v["w"],
        "b": z_bar,
        "x": z_bar * v["w"],
        "t": -(y - v["t"]),
        "λ": 0.5 * v["w"] ** 2,
    }
    for name, grad in hand.items():
        assert n[name].grad.item() == pytest.approx(grad, rel=1e-9, abs=1e-12), name


def test_grads_are_nnlib_autodiff_results_of_the_same_expression():
    values = dict(x=-1.2, t=0.3, w=2.1, b=0.4, lam=0.7)
    model = BackpropModel(LOGISTIC, **values)
    run_both(model)
    w, x, b, t, lam = (Tensor(values[k]) for k in ("w", "x", "b", "t", "lam"))
    loss = 0.5 * ((w * x + b).sigmoid() - t) ** 2 + lam * (0.5 * w**2)
    loss.backward()
    n = by_name(model)
    assert n["L_reg"].data.item() == loss.item()
    for mine, theirs in [("w", w), ("x", x), ("b", b), ("t", t), ("λ", lam)]:
        assert n[mine].grad.item() == pytest.approx(theirs.grad.item(), rel=1e-12)


@given(st.floats(-3, 3))
def test_fan_out_example_sums_both_paths_as_the_multivariate_chain_rule(t):
    model = BackpropModel(FAN_OUT, t=t)
    run_both(model)
    x, y = math.cos(t), t * t
    df_dt = y * math.exp(x * y) * -math.sin(t) + (1 + x * math.exp(x * y)) * 2 * t
    node_t = by_name(model)["t"]
    assert node_t.grad.item() == pytest.approx(df_dt, rel=1e-9, abs=1e-12)
    rule = model.explain_backward(node_t).text
    assert rule.count(" + ") == 2  # two uses of t: two terms, in symbols and in numbers


def test_reset_hides_everything_and_stepping_starts_over():
    model = BackpropModel(LOGISTIC)
    run_both(model)
    model.reset()
    assert model.revealed_values == {node for node in model.nodes if not node.parents}
    assert model.revealed_grads == set() and model.current is None and model.steps() == []
    assert model.step_forward().node is model.forward_order[0]


def test_changing_an_input_recomputes_every_number_but_keeps_the_progress():
    model = BackpropModel(LOGISTIC)
    run_forward(model)
    model.step_backward()
    before = {name: node.data.item() for name, node in by_name(model).items()}
    model.set_values(x=-2.0)
    after = by_name(model)
    assert after["x"].data.item() == -2.0
    w, b = before["w"], before["b"]
    assert after["z"].data.item() == pytest.approx(w * -2.0 + b)
    assert after["z"].data.item() != before["z"]
    assert model.n_values == len(model.forward_order) and model.n_grads == 1


# -- the written rules ----------------------------------------------------------------------------
def test_rules_name_the_local_derivative_with_error_signal_notation():
    model = BackpropModel(LOGISTIC)
    run_both(model)
    n = by_name(model)
    rule = {name: model.explain_backward(node).text for name, node in n.items()}
    assert rule["z"].startswith(f"{bar('z')} = {bar('y')} · σ'(z) = ")
    assert rule["w"].startswith(f"{bar('w')} = {bar('wx')} · x + {bar('w²')} · 2w = ")
    assert rule["L_reg"].startswith(f"{bar('L_reg')} = ")
    assert model.explain_forward(n["z"]).text.startswith("z = wx + b = ")
    assert model.explain_forward(n["y"]).text.startswith("y = σ(z) = σ(")


def spec_with_every_op():
    """A graph using every op the rules know (and fan-out), with an unnamed result."""

    def build(a, c):
        a, c = Tensor(a, name="a"), Tensor(c, name="c")
        u = tanh(a * c) / (exp(c) + 1.0)  # the sum is unnamed: it becomes v1, v2, …
        u.name = "u"
        v = -relu(a) + log(c * c) - sin(a) ** 3
        v.name = "v"
        return u * v + a.sigmoid().cos()

    return GraphSpec(
        "every op", "", (Knob("a", "a", 0.7, 0.1, 2), Knob("c", "c", 1.3, 0.1, 2)), build
    )


@given(st.floats(0.1, 2), st.floats(0.1, 2))
def test_every_rule_adds_up_to_the_number_it_reveals(a, c):
    model = BackpropModel(spec_with_every_op(), a=a, c=c)
    run_both(model)
    assert any(model.symbol(node).startswith("v1") for node in model.forward_order)
    for step in model.steps():
        shown = float(step.text.rsplit(" = ", 1)[1])
        exact = (step.node.data if step.phase == "forward" else step.node.grad).item()
        assert shown == pytest.approx(exact, abs=6e-5)  # printed with 4 decimals
        if step.phase == "backward" and step.node is not model.output:
            parts = step.text.split(" = ")
            if len(parts) == 3:  # "ȳ = r̄ = total": a sum or a difference passes v̄ on as is
                (child,) = [c for c in model.nodes if step.node in c.parents]
                assert exact == child.grad.item(), step.text
            else:
                # Each printed number is off by up to 5e-5 (4 decimals); in a product a·b that
                # moves the result by up to 5e-5 (|a| + |b|).
                numbers = [abs(float(n)) for n in re.findall(r"[0-9.]+", parts[-2])]
                slack = 1e-4 * (1 + sum(numbers))
                assert evaluate(parts[-2]) == pytest.approx(exact, abs=slack), step.text


def test_bad_inputs_are_explained():
    with pytest.raises(ValueError, match="unknown graph 'nope'"):
        BackpropModel("nope")
    with pytest.raises(ValueError, match=r"no input 'y'; its inputs are \['x', 't'"):
        BackpropModel(LOGISTIC, y=1.0)
    with pytest.raises(ValueError, match=r"λ = 2 is outside its range \[0.0, 1.0\]"):
        BackpropModel(LOGISTIC, lam=2)
    with pytest.raises(ValueError, match="scalar graphs"):
        BackpropModel(GraphSpec("array", "", (), lambda: Tensor([1.0, 2.0], name="v").sum()))


# -- the explorer: the view follows the model ----------------------------------------------------
@pytest.fixture(scope="module")
def stepper():
    return BackpropStepper()


def shown(drawing, node, line):
    return getattr(drawing.node_artists[node], line).get_text()


def face(drawing, node):
    return tuple(drawing.node_artists[node].box.get_facecolor())


def test_explorer_api_classes_and_no_pyplot_figures(stepper):
    assert plt.get_fignums() == []
    assert {"forward", "backward", "reset", "graph", "x", "t", "w", "b", "lam"} <= set(
        stepper.controls
    )
    assert {"nnlib-explorer", "nnlib-backprop"} <= set(stepper.widget._dom_classes)
    assert "nnlib-figure" in stepper.view.image._dom_classes
    assert stepper.view.image in stepper.widget.children
    assert stepper.status in stepper.widget.children
    assert "application/vnd.jupyter.widget-view+json" in stepper._repr_mimebundle_()
    assert stepper.view.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_buttons_step_the_drawing_and_highlight_the_current_node(stepper):
    controls, model, drawing = stepper.controls, stepper.model, stepper.drawing
    controls["reset"].click()
    assert controls["backward"].disabled and not controls["forward"].disabled
    image = stepper.view.image.value
    controls["forward"].click()
    first = model.forward_order[0]
    assert stepper.view.image.value != image
    assert shown(drawing, first, "value") == f"value {first.data.item():.4f}"
    assert all(shown(drawing, n, "value") == "value ?" for n in model.forward_order[1:])
    assert face(drawing, first) == to_rgba(FORWARD_COLOR)
    assert sum(face(drawing, n) == to_rgba(FORWARD_COLOR) for n in model.nodes) == 1
    assert model.explain_forward(first).text.split(" = ")[0] in stepper.status.value

    for _ in model.forward_order[1:]:
        controls["forward"].click()
    assert controls["forward"].disabled and not controls["backward"].disabled
    controls["backward"].click()
    out = model.output
    assert shown(drawing, out, "grad") == "grad 1.0000"
    assert face(drawing, out) == to_rgba(BACKWARD_COLOR)
    assert shown(drawing, model.backward_order[1], "grad") == "grad ?"
    while not controls["backward"].disabled:
        controls["backward"].click()
    for node in model.nodes:
        text = shown(drawing, node, "grad")
        assert text == ("" if model.is_constant(node) else f"grad {node.grad.item():.4f}")
    assert "Backward pass complete" in stepper.status.value

    controls["reset"].click()
    assert all(shown(drawing, n, "value") == "value ?" for n in model.forward_order)
    assert all(shown(drawing, n, "grad") in ("grad ?", "") for n in model.nodes)
    assert not any(
        face(drawing, n) in map(to_rgba, (FORWARD_COLOR, BACKWARD_COLOR)) for n in model.nodes
    )


def test_moving_a_slider_rebuilds_the_numbers_in_the_same_boxes(stepper):
    controls, model = stepper.controls, stepper.model
    controls["reset"].click()
    for _ in range(3):
        controls["forward"].click()
    boxes = {node.name: artists for node, artists in stepper.drawing.node_artists.items()}
    image = stepper.view.image.value
    controls["x"].value = -2.5
    n = by_name(model)
    assert n["x"].data.item() == -2.5 and model.n_values == 3
    z = model.values["w"] * -2.5 + model.values["b"]
    assert n["z"].data.item() == pytest.approx(z)
    drawing = stepper.drawing
    assert {node.name: a for node, a in drawing.node_artists.items()} == boxes  # same artists
    assert shown(drawing, n["z"], "value") == f"value {z:.4f}"
    assert shown(drawing, n["x"], "value") == "value -2.5000"
    assert stepper.view.image.value != image
    assert set(drawing.node_artists) == set(model.nodes)


def test_choosing_the_fan_out_graph_swaps_drawing_and_sliders():
    stepper = BackpropStepper(x=0.5, lam=0.3)
    assert stepper.model.values["lam"] == 0.3
    old_x = stepper.controls["x"]
    stepper.controls["forward"].click()
    stepper.controls["graph"].value = FAN_OUT
    assert set(stepper.controls) == {"forward", "backward", "reset", "graph", "t"}
    assert old_x.comm is None  # the old graph's sliders are closed
    model = stepper.model
    assert set(stepper.drawing.node_artists) == set(model.nodes)
    assert model.n_values == 0 and model.values == {"t": GRAPHS[FAN_OUT].knobs[0].default}
    stepper.controls["t"].value = 1.25
    assert by_name(model)["y"].data.item() == pytest.approx(1.25**2)
    stepper.controls["graph"].value = LOGISTIC
    assert "x" in stepper.controls and stepper.model.values["x"] == 1.5  # defaults again
