# model.py - written by nnlab's `export keras`: the model "functional"
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


input_ = keras.Input(shape=(8,), name="input_")
hidden1 = keras.layers.Dense(30, activation="relu", name="hidden1")(input_)
hidden2 = keras.layers.Dense(30, activation="relu", name="hidden2")(hidden1)
concat = keras.layers.Concatenate(name="concat")([input_, hidden2])
output = keras.layers.Dense(1, name="output")(concat)
model = keras.Model(inputs=input_, outputs=output, name="functional")

# the weights: kernel (fan_in, units) and bias (units,), as layer.get_weights()
model.get_layer("hidden1").set_weights([load("hidden1_kernel.npy"), load("hidden1_bias.npy")])
model.get_layer("hidden2").set_weights([load("hidden2_kernel.npy"), load("hidden2_bias.npy")])
model.get_layer("output").set_weights([load("output_kernel.npy"), load("output_bias.npy")])

model.compile(loss="mse",
              optimizer=keras.optimizers.Adam(learning_rate=0.001),
              metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])

if __name__ == "__main__":
    model.summary()
    X_check, y_check = load("check_x.npy"), load("check_y.npy")
    y_keras = model.predict(X_check, verbose=0)
    diff = float(np.abs(y_keras - y_check).max())
    print("largest difference from nnlab's predictions on 8 samples: %.3g" % diff)
    assert diff < 1e-4, "Keras and nnlab disagree"
