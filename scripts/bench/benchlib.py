"""Shared helpers of the Python baselines: medians, buffers, the result line."""
import json
import statistics
import sys

try:
    import numpy
except ImportError:  # the buffer baselines fall back to bytearray, and say so
    numpy = None

result = {}


def add(key, value):
    result[key] = value


def emit():
    if numpy is None:
        result['note-no-numpy'] = 1
    print('BENCH-RESULT ' + json.dumps(result), flush=True)


def median(values):
    return statistics.median(values)


def pairs(args):
    """'SIZE:COUNT' arguments as (int, int) tuples."""
    return [tuple(int(x) for x in a.split(':')) for a in args]


def byte_buffer(size):
    return numpy.ones(size, dtype=numpy.uint8) if numpy is not None else bytearray(b'\1' * size)


def double_array(count):
    """What a pyMOR user passes around: a numpy array of float64."""
    if numpy is not None:
        return numpy.ones(count, dtype=numpy.float64)
    import array
    return array.array('d', bytes(8 * count))


def arg(i, fallback):
    return int(sys.argv[i]) if len(sys.argv) > i else fallback
