"""Peer benchmark for ``fit neural``: the original analysis's Keras network (keras_deepLearning.py)
on Keras 3 with the JAX backend, on the recommenders' split.

    python bench/peers/keras_neural.py --train TRAIN.csv --test TEST.csv [--rows 800000]
        [--batch 128] [--epochs 1] [--embed 10] [--seed 1] [--test-rows 0] [--epoch-test-auc]

The network, as the original script builds it:

    user index -> Embedding(n_users, E) -> Flatten --+
                                                     +-> Concatenate -> Dense(400, relu)
    track index -> Embedding(n_tracks, E) -> Flatten -+   -> Dropout(0.5) -> Dense(100)
                                                          -> BatchNormalization -> Dense(1, sigmoid)

(no activation between Dense(100) and the batch normalisation, as the original), binary
cross-entropy on the sigmoid's probabilities (Keras's "binary_crossentropy", from_logits=False:
the objective RecScript computes from the logit; the original script's mismatch, probabilities
passed to a loss expecting logits, is not reproduced), SGD(learning_rate=0.08, momentum=0.9), metrics AUC, BinaryAccuracy, Precision
and Recall; ``model.fit(..., shuffle=True, verbose=0)``, no validation.

Data: the first --rows rows of TRAIN (columns user_id, media_id, is_listened of the DSG17
log); every row of TEST (or its first --test-rows). Raw ids are numbered 1..n in sorted order
on those training rows; index 0 of each embedding is reserved for an id the training rows never
had, its vector set to zeros before training and never updated (it is never looked up in
training, so its gradient is 0), which is how RecScript's model scores an unknown user or item.
Test rows with an unseen user or track are counted and kept.

Timing: ``time.perf_counter`` around each epoch by a callback's on_epoch_begin/on_epoch_end (no
batch hooks, so Keras keeps dispatching its steps asynchronously), with the CPU-seconds the
process used meanwhile (``time.process_time``, all its threads: how many cores it kept busy,
which on a shared machine may be fewer than it would use alone); epoch 1 includes XLA's compilation of the training
step, so it is reported apart from epochs 2+. The test AUC is scikit-learn's ``roc_auc_score``
of ``model.predict`` (batch 8192) on the test rows, its time reported apart, beside the other
pointwise metrics of RecScript's evaluate (accuracy, precision and recall at 0.5, log loss) and
the AUC of the test rows whose user and track are both known. --epoch-test-auc also scores the
test rows after every epoch, in a callback that runs after the epoch's time is taken. Prints
one JSON object.
"""
import argparse
import json
import os
import platform
import time

# The backend the comparison is about, whatever the environment says.
os.environ["KERAS_BACKEND"] = "jax"

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

COLUMNS = ["user_id", "media_id", "is_listened"]
PREDICT_BATCH = 8192


def dense_index(train_ids, test_ids):
    """1..n for the sorted distinct training ids; 0 for a test id not among them."""
    vocab = np.unique(train_ids)
    tr = np.searchsorted(vocab, train_ids) + 1
    pos = np.searchsorted(vocab, test_ids)
    pos_c = np.minimum(pos, len(vocab) - 1)
    te = np.where(vocab[pos_c] == test_ids, pos_c + 1, 0)
    return tr.astype(np.int32), te.astype(np.int32), len(vocab)


def test_metrics(y, p):
    """The pointwise metrics of RecScript's evaluate, by its definitions: AUC, and at the threshold
    0.5 accuracy, precision and recall; log loss with the scores clipped to [1e-15, 1 - 1e-15]."""
    from sklearn.metrics import roc_auc_score
    y = np.asarray(y).astype(bool)
    hit = p >= 0.5
    q = np.clip(p.astype(np.float64), 1e-15, 1 - 1e-15)
    return {"auc": float(roc_auc_score(y, p)),
            "accuracy": float(np.mean(hit == y)),
            "precision": float(np.sum(hit & y) / max(np.sum(hit), 1)),
            "recall": float(np.sum(hit & y) / max(np.sum(y), 1)),
            "logloss": float(-np.mean(np.where(y, np.log(q), np.log(1 - q))))}


def build(keras, n_users, n_tracks, embed):
    from keras import layers
    user_in = keras.Input(shape=(1,), dtype="int32", name="user")
    track_in = keras.Input(shape=(1,), dtype="int32", name="track")
    # + 1: index 0 is the unknown id (see the file's comment).
    u = layers.Flatten()(layers.Embedding(n_users + 1, embed, name="user_embedding")(user_in))
    t = layers.Flatten()(layers.Embedding(n_tracks + 1, embed, name="track_embedding")(track_in))
    x = layers.Concatenate()([u, t])
    x = layers.Dense(400, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    x = layers.Dense(100)(x)
    x = layers.BatchNormalization()(x)
    out = layers.Dense(1, activation="sigmoid")(x)
    model = keras.Model([user_in, track_in], out)
    for name in ("user_embedding", "track_embedding"):
        layer = model.get_layer(name)
        w = np.array(layer.get_weights()[0])
        w[0] = 0.0
        layer.set_weights([w])
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.08, momentum=0.9),
        loss="binary_crossentropy",
        metrics=[keras.metrics.AUC(name="auc"), keras.metrics.BinaryAccuracy(name="accuracy"),
                 keras.metrics.Precision(name="precision"), keras.metrics.Recall(name="recall")])
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--rows", type=int, default=800_000, help="first N training rows (0: all)")
    ap.add_argument("--test-rows", type=int, default=0, help="first N test rows (0: all)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--embed", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--epoch-test-auc", action="store_true",
                    help="also score the test rows after every epoch (outside the epoch times)")
    a = ap.parse_args()
    if a.epochs < 1 or a.batch < 1 or a.embed < 1 or a.rows < 0 or a.test_rows < 0:
        ap.error("--epochs, --batch and --embed must be at least 1; --rows and --test-rows at least 0")

    import jax
    import keras
    import sklearn
    from sklearn.metrics import roc_auc_score

    t0 = time.perf_counter()
    train = pd.read_csv(a.train, usecols=COLUMNS, nrows=a.rows or None)
    test = pd.read_csv(a.test, usecols=COLUMNS, nrows=a.test_rows or None)
    read_seconds = time.perf_counter() - t0
    u_tr, u_te, n_users = dense_index(train["user_id"].to_numpy(), test["user_id"].to_numpy())
    t_tr, t_te, n_tracks = dense_index(train["media_id"].to_numpy(), test["media_id"].to_numpy())
    y_tr = train["is_listened"].to_numpy(np.float32)
    y_te = test["is_listened"].to_numpy()

    keras.utils.set_random_seed(a.seed)
    model = build(keras, n_users, n_tracks, a.embed)

    class EpochTimer(keras.callbacks.Callback):
        def __init__(self):
            super().__init__()
            self.seconds = []

            self.cpu = []

        def on_epoch_begin(self, epoch, logs=None):
            self.t, self.c = time.perf_counter(), time.process_time()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.t)
            self.cpu.append(time.process_time() - self.c)

    class EpochTestAUC(keras.callbacks.Callback):
        """Runs after EpochTimer's on_epoch_end, so its predictions are not in the epoch times."""

        def __init__(self):
            super().__init__()
            self.auc = []
            self.seconds = 0.0

        def on_epoch_end(self, epoch, logs=None):
            t = time.perf_counter()
            p = self.model.predict([u_te, t_te], batch_size=PREDICT_BATCH, verbose=0).ravel()
            self.auc.append(float(roc_auc_score(y_te, p)))
            self.seconds += time.perf_counter() - t

    timer = EpochTimer()
    callbacks = [timer] + ([EpochTestAUC()] if a.epoch_test_auc else [])
    t0 = time.perf_counter()
    hist = model.fit([u_tr, t_tr], y_tr, batch_size=a.batch, epochs=a.epochs, shuffle=True, verbose=0,
                     callbacks=callbacks)
    # model.fit's time without the scoring of the test rows between epochs.
    fit_seconds = time.perf_counter() - t0 - (callbacks[1].seconds if a.epoch_test_auc else 0.0)
    t0 = time.perf_counter()
    p = model.predict([u_te, t_te], batch_size=PREDICT_BATCH, verbose=0).ravel()
    predict_seconds = time.perf_counter() - t0
    known = (u_te > 0) & (t_te > 0)
    unknown_zero = all(not np.any(np.asarray(model.get_layer(n).get_weights()[0][0]))
                       for n in ("user_embedding", "track_embedding"))
    later = timer.seconds[1:]
    print(json.dumps({
        "train_rows": int(len(train)), "test_rows": int(len(test)),
        "users": int(n_users), "tracks": int(n_tracks),
        "test_unseen_user": int((u_te == 0).sum()), "test_unseen_track": int((t_te == 0).sum()),
        "test_unseen_either": int((~known).sum()),
        "batch": a.batch, "epochs": a.epochs, "embed": a.embed, "seed": a.seed,
        "read_seconds": read_seconds,
        "epoch_seconds": timer.seconds,
        "epoch_cpu_seconds": timer.cpu,
        "epoch1_seconds": timer.seconds[0],
        "later_epoch_seconds": (sum(later) / len(later)) if later else None,
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "history": {k: [float(x) for x in v] for k, v in hist.history.items()},
        "test_auc": float(roc_auc_score(y_te, p)),
        "test_metrics": test_metrics(y_te, p),
        "epoch_test_auc": callbacks[1].auc if a.epoch_test_auc else None,
        "test_auc_seen": float(roc_auc_score(y_te[known], p[known])) if known.any() else None,
        "unknown_embeddings_zero_after_fit": bool(unknown_zero),
        "params": int(model.count_params()),
        "devices": [str(d) for d in jax.devices()],
        "versions": {"keras": keras.__version__, "jax": jax.__version__, "jaxlib": jax.lib.__version__
                     if hasattr(jax.lib, "__version__") else None, "numpy": np.__version__,
                     "scikit-learn": sklearn.__version__, "python": platform.python_version(),
                     "backend": keras.backend.backend()},
    }))


if __name__ == "__main__":
    main()
