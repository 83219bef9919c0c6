"""Submissions used by the tests and the benchmarks (the demo's own students are data of the demo:
autograder/demo/students.toml, read through ``demo_cells``).

- ``HONEST``: honest alternatives written the slow, explicit way (nested Python loops, as in
  deeplearning.ai's notebooks) and with caches of their own design, by assignment and function.
  They must earn full marks (tests/e2e/test_trusted_grader.py) and grade fast enough
  (tests/benchmarks/bench_grading.py). a2's are the demo's honest student's.
- ``HONEST_A6``, ``HONEST_A7``: honest Keras notebooks written another way.
"""
from autograder.demo.workflow import demo_cells

HONEST = {
    "a1_ativacoes": {
        "sigmoid": '''def sigmoid(x):
    import math
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    for i, v in np.ndenumerate(x):
        out[i] = 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))
    return out''',
        "softmax": '''def softmax(z, axis=-1):
    z = np.moveaxis(np.asarray(z, dtype=float), axis, -1)
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return np.moveaxis(e / e.sum(axis=-1, keepdims=True), -1, axis)''',
        "relu_forward": '''def relu_forward(x):
    mask = x > 0
    return x * mask, mask   # a different, valid cache: the mask''',
        "relu_backward": '''def relu_backward(dout, cache):
    return dout * cache''',
        "leaky_relu_forward": '''def leaky_relu_forward(x, alpha=0.01):
    out = np.array(x, dtype=float)
    for i in range(out.size):
        if out.flat[i] <= 0:
            out.flat[i] *= alpha
    return out, {"x": x, "alpha": alpha}''',
        "leaky_relu_backward": '''def leaky_relu_backward(dout, cache):
    return np.where(cache["x"] > 0, dout, cache["alpha"] * dout)''',
    },
    "a2_convolucao": demo_cells()["honest"],  # the demo's Elis
    "a3_pooling": {
        "pool_forward": '''def pool_forward(A_prev, f, stride, mode="max"):
    if mode not in ("max", "average"):
        raise ValueError("mode")
    m, n_H_prev, n_W_prev, n_C = A_prev.shape
    n_H = 1 + (n_H_prev - f) // stride
    n_W = 1 + (n_W_prev - f) // stride
    A = np.zeros((m, n_H, n_W, n_C))
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    window = A_prev[i, h * stride:h * stride + f, w * stride:w * stride + f, c]
                    A[i, h, w, c] = np.max(window) if mode == "max" else np.mean(window)
    return A, {"A_prev": A_prev, "f": f, "stride": stride, "mode": mode}''',
        "pool_backward": '''def pool_backward(dA, cache):
    A_prev, f, stride, mode = cache["A_prev"], cache["f"], cache["stride"], cache["mode"]
    m, n_H, n_W, n_C = dA.shape
    dA_prev = np.zeros(A_prev.shape)
    for i in range(m):
        for h in range(n_H):
            for w in range(n_W):
                for c in range(n_C):
                    vs, hs = h * stride, w * stride
                    if mode == "max":
                        window = A_prev[i, vs:vs + f, hs:hs + f, c]
                        r, s = np.unravel_index(np.argmax(window), window.shape)
                        dA_prev[i, vs + r, hs + s, c] += dA[i, h, w, c]
                    else:
                        dA_prev[i, vs:vs + f, hs:hs + f, c] += dA[i, h, w, c] / (f * f)
    return dA_prev''',
    },
    "a4_backprop": {
        "dense_forward": '''def dense_forward(x, W, b):
    x = np.asarray(x, dtype=float); W = np.asarray(W, dtype=float); b = np.asarray(b, dtype=float)
    m, d = x.shape
    k = W.shape[1]
    out = np.zeros((m, k))
    for i in range(m):
        for c in range(k):
            total = b[c]
            for j in range(d):
                total += x[i, j] * W[j, c]
            out[i, c] = total
    return out, {"x": x, "W": W}''',
        "dense_backward": '''def dense_backward(dout, cache):
    x, W = cache["x"], cache["W"]
    m, d = x.shape
    k = W.shape[1]
    dx = np.zeros((m, d)); dW = np.zeros((d, k)); db = np.zeros(k)
    for i in range(m):
        for c in range(k):
            db[c] += dout[i, c]
            for j in range(d):
                dx[i, j] += dout[i, c] * W[j, c]
                dW[j, c] += x[i, j] * dout[i, c]
    return dx, dW, db''',
        "mse_loss": '''def mse_loss(y_pred, y):
    y_pred = np.asarray(y_pred, dtype=float); y = np.asarray(y, dtype=float)
    total, n = 0.0, y_pred.size
    grad = np.zeros_like(y_pred)
    for idx in np.ndindex(y_pred.shape):
        e = y_pred[idx] - y[idx]
        total += e * e
        grad[idx] = 2 * e / n
    return total / n, grad''',
        "binary_cross_entropy": '''def binary_cross_entropy(p, y):
    import math
    p = np.asarray(p, dtype=float); y = np.asarray(y, dtype=float)
    n = p.size
    loss, grad = 0.0, np.zeros_like(p)
    for idx in np.ndindex(p.shape):
        q = min(max(p[idx], 1e-7), 1 - 1e-7)
        loss -= y[idx] * math.log(q) + (1 - y[idx]) * math.log(1 - q)
        if 1e-7 <= p[idx] <= 1 - 1e-7:
            grad[idx] = (-y[idx] / q + (1 - y[idx]) / (1 - q)) / n
    return loss / n, grad''',
        "softmax_cross_entropy": '''def softmax_cross_entropy(logits, y):
    import math
    logits = np.asarray(logits, dtype=float)
    m, K = logits.shape
    loss, grad = 0.0, np.zeros_like(logits)
    for i in range(m):
        top = max(logits[i])
        total = sum(math.exp(v - top) for v in logits[i])
        log_total = math.log(total)
        loss -= logits[i, y[i]] - top - log_total
        for k in range(K):
            grad[i, k] = math.exp(logits[i, k] - top) / total / m
        grad[i, y[i]] -= 1 / m
    return loss / m, grad''',
        "numerical_gradient": '''def numerical_gradient(f, x, h=1e-5):
    x = np.array(x, dtype=float)
    flat = x.reshape(-1)
    grad = np.zeros(flat.size)
    for i in range(flat.size):
        plus = flat.copy(); plus[i] += h
        minus = flat.copy(); minus[i] -= h
        grad[i] = (f(plus.reshape(x.shape)) - f(minus.reshape(x.shape))) / (2 * h)
    return grad.reshape(x.shape)''',
        "dropout_forward": '''def dropout_forward(x, rate, training, seed=None):
    x = np.asarray(x, dtype=float)
    if not training:
        return x, ("eval", None, rate)
    rng = np.random.RandomState(seed)
    keep = rng.binomial(1, 1 - rate, size=x.shape).astype(bool)
    out = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        if keep[idx]:
            out[idx] = x[idx] / (1 - rate)
    return out, ("train", keep, rate)''',
        "dropout_backward": '''def dropout_backward(dout, cache):
    mode, keep, rate = cache
    if mode == "eval":
        return np.array(dout, dtype=float)
    dx = np.zeros_like(dout, dtype=float)
    for idx in np.ndindex(dout.shape):
        if keep[idx]:
            dx[idx] = dout[idx] / (1 - rate)
    return dx''',
        "sgd_step": '''def sgd_step(params, grads, lr):
    new = {}
    for name in params:
        new[name] = params[name] - lr * grads[name]
    return new''',
        "adam_step": '''def adam_step(params, grads, state, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-7):
    import math
    if state is None:
        state = (0, {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in params.items()},
                 {k: np.zeros_like(np.asarray(v, dtype=float)) for k, v in params.items()})
    t, m, v = state
    t += 1
    new_m, new_v, new_p = {}, {}, {}
    step = lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    for k in params:
        g = np.asarray(grads[k], dtype=float)
        new_m[k] = beta1 * m[k] + (1 - beta1) * g
        new_v[k] = beta2 * v[k] + (1 - beta2) * g * g
        new_p[k] = params[k] - step * new_m[k] / (np.sqrt(new_v[k]) + eps)
    return new_p, (t, new_m, new_v)''',
    },
    "a5_rnn_lstm": {
        "rnn_cell_forward": '''def rnn_cell_forward(x_t, h_prev, Wx, Wh, b):
    import math
    m, D = x_t.shape
    H = Wh.shape[0]
    h_next = np.zeros((m, H))
    for i in range(m):
        for j in range(H):
            a = b[j]
            for d in range(D):
                a += x_t[i, d] * Wx[d, j]
            for k in range(H):
                a += h_prev[i, k] * Wh[k, j]
            h_next[i, j] = math.tanh(a)
    return h_next, {"x": x_t, "h_prev": h_prev, "Wx": Wx, "Wh": Wh, "h_next": h_next}''',
        "rnn_cell_backward": '''def rnn_cell_backward(dh_next, cache):
    x, h_prev, Wx, Wh, h_next = cache["x"], cache["h_prev"], cache["Wx"], cache["Wh"], cache["h_next"]
    m, D = x.shape
    H = Wh.shape[0]
    dx, dh_prev = np.zeros((m, D)), np.zeros((m, H))
    dWx, dWh, db = np.zeros((D, H)), np.zeros((H, H)), np.zeros(H)
    for i in range(m):
        for j in range(H):
            da = dh_next[i, j] * (1 - h_next[i, j] ** 2)
            db[j] += da
            for d in range(D):
                dx[i, d] += da * Wx[d, j]
                dWx[d, j] += x[i, d] * da
            for k in range(H):
                dh_prev[i, k] += da * Wh[k, j]
                dWh[k, j] += h_prev[i, k] * da
    return dx, dh_prev, dWx, dWh, db''',
        "rnn_forward": '''def rnn_forward(x, h0, Wx, Wh, b):
    m, T, D = x.shape
    states = [h0]
    for t in range(T):
        states.append(np.tanh(x[:, t] @ Wx + states[-1] @ Wh + b))
    h = np.stack(states[1:], axis=1)
    return h, {"x": x, "states": np.stack(states, axis=1), "Wx": Wx, "Wh": Wh}''',
        "rnn_backward": '''def rnn_backward(dh, cache):
    x, states, Wx, Wh = cache["x"], cache["states"], cache["Wx"], cache["Wh"]
    m, T, D = x.shape
    dx = np.zeros_like(x)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0])
    carry = np.zeros((m, Wh.shape[0]))
    for t in range(T - 1, -1, -1):
        da = (dh[:, t] + carry) * (1 - states[:, t + 1] ** 2)
        dx[:, t] = da @ Wx.T
        dWx += x[:, t].T @ da
        dWh += states[:, t].T @ da
        db += da.sum(axis=0)
        carry = da @ Wh.T
    return dx, carry, dWx, dWh, db''',
        "lstm_cell_forward": '''def lstm_cell_forward(x_t, h_prev, c_prev, Wx, Wh, b):
    H = h_prev.shape[1]
    def sig(v):
        return np.where(v >= 0, 1 / (1 + np.exp(-np.abs(v))), np.exp(-np.abs(v)) / (1 + np.exp(-np.abs(v))))
    z = x_t @ Wx + h_prev @ Wh + b
    i = sig(z[:, :H]); f = sig(z[:, H:2 * H]); g = np.tanh(z[:, 2 * H:3 * H]); o = sig(z[:, 3 * H:])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    cache = {"x": x_t, "h_prev": h_prev, "c_prev": c_prev, "Wx": Wx, "Wh": Wh, "gates": (i, f, g, o), "c_next": c_next}
    return h_next, c_next, cache''',
        "lstm_cell_backward": '''def lstm_cell_backward(dh_next, dc_next, cache):
    i, f, g, o = cache["gates"]
    c = cache["c_next"]
    tc = np.tanh(c)
    dc = dc_next + dh_next * o * (1 - tc * tc)
    dzi = dc * g * i * (1 - i)
    dzf = dc * cache["c_prev"] * f * (1 - f)
    dzg = dc * i * (1 - g * g)
    dzo = dh_next * tc * o * (1 - o)
    dz = np.hstack([dzi, dzf, dzg, dzo])
    return (dz @ cache["Wx"].T, dz @ cache["Wh"].T, dc * f, cache["x"].T @ dz, cache["h_prev"].T @ dz,
            np.sum(dz, axis=0))''',
        "lstm_forward": '''def lstm_forward(x, h0, c0, Wx, Wh, b):
    m, T, D = x.shape
    H = h0.shape[1]
    h = np.empty((m, T, H))
    caches = {}
    h_t, c_t = h0, c0
    for t in range(T):
        h_t, c_t, caches[t] = lstm_cell_forward(x[:, t, :], h_t, c_t, Wx, Wh, b)
        h[:, t, :] = h_t
    return h, caches''',
    },
}


# An honest a6_cnn_keras written another way: loops, tf.reverse instead of tf.image flips, a
# Sequential model, model.fit on a dataset built without cache or prefetch, a schedule callback
# of its own. The hidden suite must give every function its points.
HONEST_A6 = {
    "standardize_images": '''def standardize_images(X):
    X = np.asarray(X, dtype=np.float64)
    out = np.empty(X.shape, dtype=np.float32)
    for i in range(len(X)):
        out[i] = (X[i] - X[i].mean()) / (X[i].std() + 1e-6)
    return out''',
    "augment": '''def augment(image, label):
    image = tf.convert_to_tensor(image, dtype=tf.float32)
    for axis in (0, 1):
        image = tf.cond(tf.random.uniform([]) < 0.5, lambda: tf.reverse(image, axis=[axis]), lambda: image)
    image = tf.image.rot90(image, k=tf.random.uniform([], 0, 4, dtype=tf.int32))
    return image, label''',
    "make_dataset": '''def make_dataset(X, y, batch_size=32, training=False, seed=0):
    dataset = tf.data.Dataset.from_tensor_slices((X, y))
    if training:
        dataset = dataset.shuffle(buffer_size=len(X), seed=seed).map(augment)
    return dataset.batch(batch_size)''',
    "build_model": '''def build_model(input_shape, n_classes):
    model = keras.Sequential([keras.Input(shape=input_shape)])
    for width in (16, 32, 64, 128):
        model.add(layers.Conv2D(width, 3, padding="same"))
        model.add(layers.BatchNormalization(momentum=0.8))
        model.add(layers.Activation("relu"))
        model.add(layers.MaxPooling2D())
    model.add(layers.GlobalMaxPooling2D())
    model.add(layers.Dropout(0.25))
    model.add(layers.Dense(n_classes, activation="softmax"))
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model''',
    "cosine_learning_rate": '''def cosine_learning_rate(epoch, epochs, base_lr, warmup_epochs=1, min_lr=0.0):
    import math
    if epoch < warmup_epochs:
        return base_lr * (epoch + 1) / (warmup_epochs + 1)
    span = max(1, epochs - warmup_epochs)
    return min_lr + (base_lr - min_lr) * (1 + math.cos(math.pi * (epoch - warmup_epochs) / span)) / 2''',
    "train_model": '''def train_model(model, X_train, y_train, X_val=None, y_val=None, epochs=30, batch_size=32,
                seed=0, verbose=0):
    start = float(model.optimizer.learning_rate.numpy())
    schedule = keras.callbacks.LearningRateScheduler(lambda e: cosine_learning_rate(e, epochs, start))
    validation = None if X_val is None else make_dataset(X_val, y_val, batch_size)
    return model.fit(make_dataset(X_train, y_train, batch_size, training=True, seed=seed),
                     validation_data=validation, epochs=epochs, callbacks=[schedule], verbose=verbose)''',
    "evaluate_predictions": '''def evaluate_predictions(y_true, y_pred, class_names=CLASS_NAMES):
    from sklearn import metrics
    k = len(class_names)
    matrix = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        matrix[t, p] += 1
    report = metrics.classification_report(y_true, y_pred, labels=list(range(k)),
                                           target_names=[str(n) for n in class_names], zero_division=0)
    return {"accuracy": np.trace(matrix) / matrix.sum(), "confusion_matrix": matrix, "report": report}''',
    "misclassified_indices": '''def misclassified_indices(y_true, y_pred):
    return np.array([i for i, (t, p) in enumerate(zip(y_true, y_pred)) if t != p], dtype=int)''',
}

# An honest a7_autoencoder written another way: a Sequential model with max pooling and
# upsampling (no strided or transposed convolutions), per-image loops, a sorted-array threshold,
# the detector metrics from roc_curve alone. The hidden suite must give every function its points.
HONEST_A7 = {
    "build_autoencoder": '''def build_autoencoder(input_shape, code_size):
    height, width, channels = input_shape
    small = (height // 4, width // 4, 16)
    model = keras.Sequential([
        keras.Input(shape=input_shape),
        layers.Conv2D(8, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(code_size, name="code"),
        layers.Dense(small[0] * small[1] * small[2], activation="relu"),
        layers.Reshape(small),
        layers.UpSampling2D(),
        layers.Conv2D(16, 3, padding="same", activation="relu"),
        layers.UpSampling2D(),
        layers.Conv2D(channels, 3, padding="same"),
    ])
    model.compile(optimizer="adam", loss="mean_squared_error")
    return model''',
    "train_autoencoder": '''def train_autoencoder(model, X_train, X_val=None, epochs=30, batch_size=32, seed=0, verbose=0):
    callbacks = []
    validation = None
    if X_val is not None:
        validation = (X_val, X_val)
        callbacks = [keras.callbacks.EarlyStopping(patience=epochs, restore_best_weights=True)]
    history = model.fit(x=X_train, y=X_train, batch_size=batch_size, epochs=epochs,
                        validation_data=validation, callbacks=callbacks, verbose=verbose)
    return history''',
    "reconstruction_errors": '''def reconstruction_errors(X, X_rec):
    errors = np.zeros(len(X))
    for i in range(len(X)):
        difference = np.asarray(X[i], dtype=float) - np.asarray(X_rec[i], dtype=float)
        errors[i] = np.sum(difference ** 2) / difference.size
    return errors''',
    "anomaly_threshold": '''def anomaly_threshold(normal_errors, false_alarm_rate=0.05):
    return float(np.percentile(normal_errors, 100 * (1 - false_alarm_rate)))''',
    "evaluate_detector": '''def evaluate_detector(y_true, scores, threshold):
    from sklearn import metrics
    y_true, scores = np.asarray(y_true), np.asarray(scores)
    fpr, tpr, _ = metrics.roc_curve(y_true, scores)
    above = scores > threshold
    return {"roc_auc": metrics.auc(fpr, tpr), "fpr": fpr, "tpr": tpr,
            "detection_rate": above[y_true == 1].sum() / (y_true == 1).sum(),
            "false_alarm_rate": above[y_true == 0].sum() / (y_true == 0).sum()}''',
}
