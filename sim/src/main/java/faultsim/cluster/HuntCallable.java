package faultsim.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import faultsim.hunt.HuntTask;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A {@link HuntTask} on the wire: the bytes of its own encoding (workload text, overrides,
 * design, replication, delays). The member that receives it parses the workload, runs the
 * schedule and sends back the encoded outcome.
 */
final class HuntCallable implements Callable<byte[]>, IdentifiedDataSerializable {
  static final int CLASS_ID = 2;

  private HuntTask task;

  HuntCallable() {}

  HuntCallable(HuntTask task) {
    this.task = task;
  }

  @Override
  public byte[] call() throws Exception {
    return task.call();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByteArray(task.encode());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    byte[] b = in.readByteArray();
    if (b == null) {
      throw new IOException("a hunt task without its bytes");
    }
    try {
      task = HuntTask.decode(b);
    } catch (IllegalArgumentException e) {
      throw new IOException("malformed hunt task: " + e.getMessage(), e);
    }
  }

  @Override
  public int getFactoryId() {
    return RunCallable.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return CLASS_ID;
  }
}
