"""pyMOR's tools.mpi (event loop, call, quit, the managed-object registry),
trimmed to what the Python baselines use and shared by them. Functions and
classes defined here pickle by reference as `pymor_tools.<name>`, which every
rank can import (the scripts' folder is on sys.path).
"""
import sys

from mpi4py import MPI

comm = MPI.COMM_WORLD
rank = comm.Get_rank()
size = comm.Get_size()
rank0 = rank == 0
_managed_objects = {}
_object_counter = 0


class ObjectId(int):
    pass


def event_loop():
    assert not rank0
    while True:
        try:
            method, args, kwargs = comm.bcast(None)
            if method == 'QUIT':
                break
            else:
                method(*args, **kwargs)
        except Exception:
            import traceback
            print(f'Caught exception on MPI rank {rank}:')
            traceback.print_exception(*sys.exc_info())


def call(method, *args, **kwargs):
    assert rank0
    comm.bcast((method, args, kwargs), root=0)
    return method(*args, **kwargs)


def quit():
    comm.bcast(('QUIT', None, None))


def manage_object(obj):
    global _object_counter
    obj_id = ObjectId(_object_counter)
    _managed_objects[obj_id] = obj
    _object_counter += 1
    return obj_id


def get_object(obj_id):
    return _managed_objects[obj_id]


def remove_object(obj_id):
    del _managed_objects[obj_id]


def function_call_manage(f, *args, **kwargs):
    return manage_object(f(*args, **kwargs))


def method_call(obj_id, name, *args, **kwargs):
    obj = _managed_objects[obj_id]
    args = (_managed_objects[arg] if type(arg) is ObjectId else arg for arg in args)
    return getattr(obj, name)(*args, **kwargs)


def method_call_manage(obj_id, name, *args, **kwargs):
    return manage_object(method_call(obj_id, name, *args, **kwargs))
