package io.macroscope.streams.model;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The models being served, one per model line, swapped atomically: a call {@link #acquire acquires}
 * the current model and keeps using it to the end even if a new release is swapped in meanwhile;
 * the old one is closed when its last call releases it.
 */
public final class ModelCatalog implements AutoCloseable {

  private final Map<String, AtomicReference<ServingModel>> lines = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Consumer<ServingModel>> listeners =
      new CopyOnWriteArrayList<>();

  /** The current model of {@code line}, retained (release it after use), or null if none yet. */
  public ServingModel acquire(String line) {
    AtomicReference<ServingModel> ref = lines.get(line);
    if (ref == null) {
      return null;
    }
    while (true) {
      ServingModel model = ref.get();
      if (model == null || model.retain()) {
        return model;
      }
      // retired between get and retain: the swap has already set its successor
    }
  }

  /** Version served on {@code line}, if any. */
  public Optional<String> version(String line) {
    AtomicReference<ServingModel> ref = lines.get(line);
    return ref == null || ref.get() == null ? Optional.empty() : Optional.of(ref.get().version());
  }

  /** Serves {@code model} on its line from now on; the previous model retires. */
  public void swap(ServingModel model) {
    ServingModel old =
        lines.computeIfAbsent(model.name(), k -> new AtomicReference<>()).getAndSet(model);
    if (old != null) {
      old.retire();
    }
    listeners.forEach(l -> l.accept(model));
  }

  /** Called with each model after it is swapped in. */
  public void onSwap(Consumer<ServingModel> listener) {
    listeners.add(listener);
  }

  @Override
  public void close() {
    lines
        .values()
        .forEach(
            ref -> {
              ServingModel model = ref.getAndSet(null);
              if (model != null) {
                model.retire();
              }
            });
  }
}
