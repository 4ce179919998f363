# model.py - written by nnlab's `export keras`: the model "my_mlp"
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


model = keras.Sequential([
    keras.Input(shape=(2,)),
    keras.layers.Dense(5, activation="relu", kernel_initializer="he_normal", trainable=False, name="dense"),
    keras.layers.Dense(3, activation="tanh", use_bias=False, name="hidden-2"),
    keras.layers.Dense(1, activation="sigmoid", bias_initializer=keras.initializers.Constant(0.5), name="dense_1"),
], name="my_mlp")

# the weights: kernel (fan_in, units) and bias (units,), as layer.get_weights()
model.get_layer("dense").set_weights([load("dense_kernel.npy"), load("dense_bias.npy")])
model.get_layer("hidden-2").set_weights([load("hidden-2_kernel.npy")])
model.get_layer("dense_1").set_weights([load("dense_1_kernel.npy"), load("dense_1_bias.npy")])

model.compile(loss="binary_crossentropy",
              optimizer=keras.optimizers.SGD(learning_rate=0.05, momentum=0.9, nesterov=True),
              metrics=["accuracy"])

if __name__ == "__main__":
    model.summary()
    X_check, y_check = load("check_x.npy"), load("check_y.npy")
    y_keras = model.predict(X_check, verbose=0)
    diff = float(np.abs(y_keras - y_check).max())
    print("largest difference from nnlab's predictions on 8 samples: %.3g" % diff)
    assert diff < 1e-4, "Keras and nnlab disagree"
