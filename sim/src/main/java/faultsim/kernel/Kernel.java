package faultsim.kernel;

import faultsim.locks.Locks;
import faultsim.machine.Device;
import faultsim.machine.Machine;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated kernel state of one run: files, processes, the storage device and the vmstat
 * counters. It changes only through the primitives designs call, so the correctness checks see
 * the truth whatever a design does.
 */
public final class Kernel {
  /** {@code PAGE_SIZE} on x86-64. */
  public static final long PAGE_SIZE = 4096;
  /** {@code PMD_SIZE}: what one PTE page maps. */
  public static final long PMD_SIZE = PAGE_SIZE * PteTable.PTRS_PER_PTE;

  private final Machine machine;
  private final Locks locks;
  private final Map<String, AddressSpace> files = new LinkedHashMap<>();
  private final List<MmStruct> mms = new ArrayList<>();
  /** Counter cells by name, in first-counted order: counting an event changes a cell in place. */
  private final Map<String, long[]> vmstat = new LinkedHashMap<>();
  private final List<String> declaredVmEvents = new ArrayList<>();
  private Device device;

  public Kernel(Machine machine, Locks locks) {
    this.machine = machine;
    this.locks = locks;
  }

  /** The run's speculation, or null ({@link faultsim.machine.Speculation}). */
  public faultsim.machine.Speculation speculation() {
    return machine.speculation();
  }

  public Machine machine() {
    return machine;
  }

  public Locks locks() {
    return locks;
  }

  /** Creates a file of {@code sizeBytes} with {@code cachedFraction} of its pages cached. */
  public AddressSpace createFile(String name, FsType fs, long sizeBytes, double cachedFraction) {
    if (files.containsKey(name)) {
      throw new IllegalArgumentException("file '" + name + "' created twice");
    }
    if (cachedFraction < 0 || cachedFraction > 1) {
      throw new IllegalArgumentException("cached fraction must be in [0, 1], was "
          + cachedFraction);
    }
    AddressSpace a = new AddressSpace(this, files.size(), name, fs, sizeBytes, cachedFraction);
    files.put(name, a);
    return a;
  }

  public AddressSpace file(String name) {
    AddressSpace a = files.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no file named '" + name + "'");
    }
    return a;
  }

  public List<AddressSpace> files() {
    return List.copyOf(files.values());
  }

  /** A new anonymous folio (zero-filled or a COW copy) for {@code index}. */
  public Folio newAnonFolio(long index) {
    Folio f = new Folio(this, null, index, 0);
    f.markUptodate();
    return f;
  }

  public MmStruct createMm(String name) {
    MmStruct m = new MmStruct(this, mms.size(), name);
    mms.add(m);
    return m;
  }

  public List<MmStruct> mms() {
    return Collections.unmodifiableList(mms);
  }

  public Device device() {
    return device;
  }

  public void setDevice(Device d) {
    device = d;
  }

  /** {@code count_vm_event}. */
  public void countVmEvent(String name) {
    long[] cell = vmstat.get(name);
    if (cell == null) {
      // Counters are listed in the order first counted: never first counted ahead of the clock
      // (and the events caught up with may count it first).
      faultsim.machine.Speculation.catchUpAhead(speculation());
      cell = vmstat.get(name);
    }
    if (cell == null) {
      cell = new long[1];
      vmstat.put(name, cell);
    }
    cell[0]++;
  }

  public long vmEvent(String name) {
    long[] cell = vmstat.get(name);
    return cell == null ? 0 : cell[0];
  }

  /** Every vmstat counter that has been counted, in first-counted order. */
  public Map<String, Long> vmstat() {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : vmstat.entrySet()) {
      m.put(e.getKey(), e.getValue()[0]);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Counters a design declares: shown from the start (at zero until counted), so that a
   * proposal's counter that never moves shows as 0 rather than missing.
   */
  public void declareVmEvents(List<String> names) {
    declaredVmEvents.addAll(names);
    for (String n : names) {
      vmstat.putIfAbsent(n, new long[1]);
    }
  }

  public void resetVmstat() {
    vmstat.clear();
    for (String n : declaredVmEvents) {
      vmstat.put(n, new long[1]);
    }
  }
}
