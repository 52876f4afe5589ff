package io.redstats.notifier.feed;

import java.util.function.Supplier;

/** Computes a value on first use and keeps it; for one thread. */
public final class Memo<T> implements Supplier<T> {

  private final Supplier<T> compute;
  private T value;

  public Memo(Supplier<T> compute) {
    this.compute = compute;
  }

  @Override
  public T get() {
    if (value == null) {
      value = compute.get();
    }
    return value;
  }
}
