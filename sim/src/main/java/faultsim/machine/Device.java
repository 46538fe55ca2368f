package faultsim.machine;

import faultsim.engine.Dist;
import faultsim.engine.Engine;
import java.util.ArrayDeque;
import umontreal.ssj.rng.RandomStream;

/**
 * A storage device (kernel-paths.md C.11): up to {@code queueDepth} requests in service at once,
 * each taking a time drawn from the read or write latency distribution; further requests wait in
 * FIFO order. A task waiting for its request sleeps in {@code io_schedule()} and frees its core.
 */
public final class Device {
  private final Machine machine;
  private final String name;
  private final int queueDepth;
  private final Dist readLatency;
  private final Dist writeLatency;
  private final RandomStream stream;
  private final ArrayDeque<Request> queued = new ArrayDeque<>();
  private int inFlight;
  private long completed;

  public Device(Machine machine, String name, int queueDepth, Dist readLatency, Dist writeLatency,
      RandomStream stream) {
    if (queueDepth < 1) {
      throw new IllegalArgumentException(
          "device " + name + ": queue depth must be >= 1, was " + queueDepth);
    }
    this.machine = machine;
    this.name = name;
    this.queueDepth = queueDepth;
    this.readLatency = readLatency;
    this.writeLatency = writeLatency;
    this.stream = stream;
  }

  public String name() {
    return name;
  }

  public int inFlight() {
    return inFlight;
  }

  public int queued() {
    return queued.size();
  }

  public long completed() {
    return completed;
  }

  /** Submits a read or write for {@code t} and puts it to sleep until the request completes. */
  public void submitAndWait(Task t, boolean write) {
    submitAndWait(t, write, null);
  }

  /**
   * As {@link #submitAndWait(Task, boolean)}; {@code onComplete} runs when the request
   * completes, before the task is woken (the bio's end_io: e.g. marking a folio uptodate).
   */
  public void submitAndWait(Task t, boolean write, Runnable onComplete) {
    Request r = new Request(t, write, onComplete);
    t.ioWait((write ? "submit_bio(WRITE) " : "submit_bio(READ) ") + name, null);
    if (inFlight < queueDepth) {
      start(r);
    } else {
      queued.addLast(r);
    }
  }

  private void start(Request r) {
    inFlight++;
    long latency = (r.write ? writeLatency : readLatency).sample(stream);
    machine.engine().schedule(r, latency);
  }

  private final class Request extends Engine.Timer {
    final Task task;
    final boolean write;

    final Runnable onComplete;

    Request(Task task, boolean write, Runnable onComplete) {
      super(machine.engine());
      this.task = task;
      this.write = write;
      this.onComplete = onComplete;
    }

    @Override
    protected void fire() {
      inFlight--;
      completed++;
      if (onComplete != null) {
        onComplete.run();
      }
      task.wake();
      Request next = queued.pollFirst();
      if (next != null) {
        start(next);
      }
    }
  }
}
