"""Shared NumPy code for the worked answers to Chapter 4 of 《神经网络与深度学习》.

Simple, readable and tested -- not optimised. Every code block the site shows
comes from this package:

* ``activations``  activation functions, each next to its derivative;
* ``layers``       a dense layer as a forward/backward pair;
* ``mlp``          a small multilayer perceptron, losses, optimisers, training;
* ``gradcheck``    central-difference gradient checking;
* ``plotting``     deterministic SVG output and network diagrams;
* ``exN_M``        the experiments and figures of exercise N-M;
* ``pages/exN_M``  the steps shown on page N-M, cell by cell.
"""
