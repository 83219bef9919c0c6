"""Submissions used only by the tests (the demo's students live in autograder/sample_submissions.py)."""

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
