# keras.py - a NumPy stand-in for the parts of Keras that the model.py of
# nnlab's `export keras` uses (Input, Sequential, Model, Dense, Flatten,
# Activation, Concatenate, get_layer, set_weights, compile, predict), so
# tests/check_export_py.sh can run the exported code without Keras and
# check that it computes what nnlab computes: layer order, wiring, kernel
# (fan_in, units) and bias as Keras lays them out.  set_weights checks the
# arrays' dtype and shapes as Keras does.
import numpy as np
ACT = {"linear": lambda z: z, "relu": lambda z: np.maximum(z, 0),
       "sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh,
       "softmax": lambda z: np.exp(z - z.max(-1, keepdims=True)) / np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True)}
class T:
    def __init__(self, f, inputs): self.f, self.inputs = f, inputs
class Layer:
    def __init__(self, name=None, trainable=True, **kw): self.name, self.trainable = name, trainable
    def __call__(self, x):
        xs = x if isinstance(x, list) else [x]
        return T(self, xs)
class _Input(Layer):
    def __init__(self, shape, name=None): super().__init__(name=name); self.shape = shape
def Input(shape, name=None):
    l = _Input(shape, name); return T(l, [])
class _layers:
    class Dense(Layer):
        def __init__(self, units, activation="linear", use_bias=True, kernel_initializer=None, bias_initializer=None, **kw):
            super().__init__(**kw); self.units, self.act, self.use_bias = units, activation, use_bias
        def set_weights(self, w):
            assert len(w) == (2 if self.use_bias else 1), "weights: kernel, bias"
            assert w[0].dtype == np.float32 and w[0].ndim == 2 and w[0].shape[1] == self.units
            if self.use_bias:
                assert w[1].dtype == np.float32 and w[1].shape == (self.units,)
            self.W = w[0]; self.b = w[1] if self.use_bias else np.zeros(self.units, np.float32)
        def run(self, x): return ACT[self.act](x.reshape(len(x), -1) @ self.W + self.b)
    class Flatten(Layer):
        def run(self, x): return x.reshape(len(x), -1)
    class Activation(Layer):
        def __init__(self, a, **kw): super().__init__(**kw); self.a = a
        def run(self, x): return ACT[self.a](x)
    class Concatenate(Layer):
        def run(self, *xs): return np.concatenate(xs, axis=-1)
layers = _layers
class _init:
    @staticmethod
    def Constant(v): return v
initializers = _init
class _opt:
    def __getattr__(self, n): return lambda **kw: (n, kw)
optimizers = _opt(); losses = _opt(); metrics = _opt()
def _ev(t, feed):
    if isinstance(t.f, _Input): return feed[id(t)]
    return t.f.run(*[_ev(i, feed) for i in t.inputs])
class Model:
    def __init__(self, inputs, outputs, name=None):
        self.inputs = inputs if isinstance(inputs, list) else [inputs]; self.out = outputs; self.name = name
        self._layers = {}
        def walk(t):
            self._layers[t.f.name] = t.f; [walk(i) for i in t.inputs]
        walk(outputs)
    def get_layer(self, n): return self._layers[n]
    def compile(self, **kw): self.cc = kw
    def summary(self): print("summary of", self.name, sorted(map(str, self._layers)))
    def predict(self, X, verbose=0):
        X = X if isinstance(X, list) else [X]
        return _ev(self.out, {id(t): x for t, x in zip(self.inputs, X)})
class Sequential(Model):
    def __init__(self, ls, name=None):
        t = ls[0]; inp = t
        for l in ls[1:]: t = l(t)
        super().__init__(inp, t, name)
