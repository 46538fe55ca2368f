package faultsim.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import faultsim.run.RunKey;
import faultsim.run.RunTask;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A {@link RunTask} on the wire: the key (workload hash, overrides, design, replication), the
 * file name and the workload text. The member that receives it parses the workload, checks its
 * hash and runs the replication; the result travels back as {@code ResultCodec} bytes.
 */
final class RunCallable implements Callable<byte[]>, IdentifiedDataSerializable {
  static final int FACTORY_ID = 0x6673696d; // "fsim"
  static final int CLASS_ID = 1;

  private RunTask task;

  RunCallable() {}

  RunCallable(RunTask task) {
    this.task = task;
  }

  @Override
  public byte[] call() throws Exception {
    return task.call();
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    RunKey k = task.key();
    out.writeString(k.workloadHash());
    out.writeInt(k.sets().size());
    for (String s : k.sets()) {
      out.writeString(s);
    }
    out.writeString(k.design());
    out.writeInt(k.replication());
    out.writeString(task.fileName());
    out.writeString(task.workloadText());
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    String hash = in.readString();
    int n = in.readInt();
    if (n < 0 || n > 10_000) {
      throw new IOException("implausible number of overrides: " + n);
    }
    List<String> sets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      sets.add(in.readString());
    }
    String design = in.readString();
    int replication = in.readInt();
    String fileName = in.readString();
    String text = in.readString();
    task = new RunTask(new RunKey(hash, sets, design, replication), fileName, text);
  }

  @Override
  public int getFactoryId() {
    return FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return CLASS_ID;
  }

  /** Makes the kinds of object faultsim sends: a sweep's runs and a hunt's schedules. */
  static final class Factory implements DataSerializableFactory {
    @Override
    public IdentifiedDataSerializable create(int typeId) {
      return switch (typeId) {
        case CLASS_ID -> new RunCallable();
        case HuntCallable.CLASS_ID -> new HuntCallable();
        default -> null;
      };
    }
  }
}
