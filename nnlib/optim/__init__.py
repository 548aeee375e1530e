"""Optimizers and gradient clipping, with PyTorch's names, defaults and update formulas.

Lesson 9 (training MLPs: optimizers and their paths on 2-D loss surfaces, gradient clipping)
uses all of them; lesson 10 (regularization) uses their ``weight_decay``.

    >>> opt = nnlib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    >>> opt.zero_grad(); model.backward(loss_fn.backward()); opt.step()
"""

from .adagrad import Adagrad
from .adam import Adam
from .clip import clip_grad_norm_
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "Optimizer", "RMSprop", "clip_grad_norm_"]
