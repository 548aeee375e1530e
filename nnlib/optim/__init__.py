"""Optimizers and gradient clipping, with PyTorch's names, defaults and update formulas.

Lesson 9 (training MLPs: optimizers and their paths on 2-D loss surfaces, gradient clipping)
uses all of them; lesson 10 (regularization) uses their ``weight_decay``. A training step::

    opt = nnlib.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)   # once
    loss = loss_fn(model(x), y)
    opt.zero_grad()                       # forget the previous batch's gradients
    model.backward(loss_fn.backward())    # fill every p.grad
    opt.step()                            # move every p.data against its gradient
"""

from .adagrad import Adagrad
from .adam import Adam
from .clip import clip_grad_norm_
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adagrad", "Adam", "Optimizer", "RMSprop", "clip_grad_norm_"]
