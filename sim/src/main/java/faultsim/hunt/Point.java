package faultsim.hunt;

/**
 * One delay of a schedule: task {@code task} computes {@code delayNs} before its primitive call
 * number {@code ordinal} (of primitive {@code primitive}).
 */
public record Point(String task, long ordinal, String primitive, long delayNs) {
  public Point {
    if (task.isEmpty() || task.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("a task name without spaces is needed, was '" + task
          + "'");
    }
    if (ordinal < 1 || delayNs < 1) {
      throw new IllegalArgumentException("ordinal and delay must be >= 1");
    }
  }

  /** The same point with another delay. */
  public Point withDelay(long ns) {
    return new Point(task, ordinal, primitive, ns);
  }

  /** {@code task ordinal primitive delay_ns}, as schedule files write it. */
  @Override
  public String toString() {
    return task + " " + ordinal + " " + primitive + " " + delayNs;
  }
}
