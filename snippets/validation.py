"""Input checks shared by the public functions (clear ``ValueError`` messages)."""

import numpy as np


def as_float_array(x, name="x", ndim=None):
    """Return ``x`` as a finite float64 array, or raise ``ValueError``.

    Parameters
    ----------
    x : array_like
        Input values.
    name : str
        Name used in the error message.
    ndim : int, optional
        Required number of dimensions.

    Examples
    --------
    >>> as_float_array([1, 2]).tolist()
    [1.0, 2.0]
    """
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be numeric, got {type(x).__name__}") from err
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def is_number(value):
    """True for a real int or float (not bool), finite or not."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def check_finite(value, name):
    """Raise ``ValueError`` unless ``value`` is a finite number; return it as a float."""
    if not (is_number(value) and np.isfinite(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def check_positive(value, name):
    """Raise ``ValueError`` unless ``value`` is a finite number > 0."""
    if not (is_number(value) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def check_in_range(value, name, low, high):
    """Raise ``ValueError`` unless ``low <= value < high`` (finite number)."""
    if not (is_number(value) and np.isfinite(value) and low <= value < high):
        raise ValueError(f"{name} must be in [{low}, {high}), got {value!r}")
    return float(value)
