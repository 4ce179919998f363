# model.py - written by nnlab's `export keras`: the model "siamese"
# rebuilt with Keras, compiled as in nnlab, with nnlab's weights.
# Run it:  python3 model.py   (README.txt says more)
import os

import numpy as np

try:
    import keras  # Keras 3
except ImportError:
    from tensorflow import keras  # TensorFlow 2's Keras

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    return np.load(os.path.join(HERE, name))


a = keras.Input(shape=(2,), name="a")
b = keras.Input(shape=(2,), name="b")
h_layer = keras.layers.Dense(3, activation="tanh", name="h")
h = h_layer(a)
h_b = h_layer(b)
c = keras.layers.Concatenate(name="c")([h, h_b])
out = keras.layers.Dense(1, name="out")(c)
model = keras.Model(inputs=[a, b], outputs=out, name="siamese")

# the weights: kernel (fan_in, units) and bias (units,), as layer.get_weights()
model.get_layer("h").set_weights([load("h_kernel.npy"), load("h_bias.npy")])
model.get_layer("out").set_weights([load("out_kernel.npy"), load("out_bias.npy")])

# not compiled yet in nnlab; before training, e.g.:
# model.compile(loss="mse", optimizer="sgd")

if __name__ == "__main__":
    model.summary()
