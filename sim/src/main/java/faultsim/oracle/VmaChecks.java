package faultsim.oracle;

import faultsim.kernel.Kernel;
import faultsim.kernel.MmStruct;
import faultsim.kernel.Vma;
import faultsim.machine.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a race with a VMA change leaves behind, checked for the oracle:
 *
 * <ul>
 *   <li><b>pte_after_munmap</b>: a PTE set in a VMA already detached by munmap (the fault used
 *       a freed VMA), a PTE still in a VMA's range when the VMA is removed (set after the
 *       unmap's zap: it goes with the page tables, its page still counted as mapped), or a PTE
 *       in the range after the munmap returned;
 *   <li><b>detached_vma</b>: a fault that completes, without an error, on a VMA that was
 *       detached before the fault set up its {@code vm_fault} (took its lock or reference): it
 *       never re-validated the VMA;
 *   <li><b>pte_protection</b>: a writable PTE in a VMA without {@code VM_WRITE}, set while no
 *       mprotect of that VMA was in flight, or found when an mprotect returns.
 * </ul>
 */
final class VmaChecks {
  private final Oracle oracle;
  /** The task that detached each VMA, for the interleaving. */
  private final Map<Vma, Task> detachedBy = new IdentityHashMap<>();
  /** Per fault task: the VMA its current fault set up a vm_fault on while it was detached. */
  private final Map<Task, Vma> onDetached = new HashMap<>();
  /** mprotects in flight: the task and the range of its mm. */
  private final List<Range> mprotects = new ArrayList<>();
  private Task lastVmaOpTask;

  /** An operation's range of an mm. */
  record Range(Task task, MmStruct mm, long start, long end, long startNs) {
    boolean covers(MmStruct m, long address) {
      return m == mm && address >= start && address < end;
    }
  }

  VmaChecks(Oracle oracle) {
    this.oracle = oracle;
  }

  void faultStarts(Task t) {
    onDetached.remove(t);
  }

  void faultUses(Task t, Vma v) {
    if (v.detached()) {
      onDetached.put(t, v);
    } else {
      onDetached.remove(t);
    }
  }

  void faultEnds(Task t, boolean error) {
    Vma v = onDetached.remove(t);
    if (v == null || error) {
      return;
    }
    report(Violation.DETACHED_VMA, String.format(Locale.ROOT,
        "task %s: a fault completed on %s, detached by task %s's munmap (or merge) before the"
            + " fault set up its vm_fault; it never re-validated the VMA", t.name(), v, name(detachedBy
            .get(v))), Touches.vma(v), t, detachedBy.get(v));
  }

  void ptePlaced(Task t, Vma v, MmStruct mm, long address, boolean write) {
    if (v == null || v.detached()) {
      Task by = v == null ? lastVmaOpTask : detachedBy.get(v);
      report(Violation.PTE_AFTER_MUNMAP, String.format(Locale.ROOT,
          "task %s set a PTE at %x of %s in %s, after task %s's munmap (or merge) took the VMA"
              + " away",
          t.name(), address, mm.name(), v == null ? "no VMA" : v.toString(), name(by)),
          v == null ? Touches.pte(mm, address) : pteIn(mm, address, v), t, by);
      return;
    }
    if (!v.contains(address) && mm.findVma(address) == null) {
      report(Violation.PTE_AFTER_MUNMAP, String.format(Locale.ROOT,
          "task %s set a PTE at %x of %s through %s, which task %s's mremap (or split and"
              + " unmap) had cut short: no VMA covers the address any more",
          t.name(), address, mm.name(), v, name(lastVmaOpTask)), pteIn(mm, address, v), t,
          lastVmaOpTask);
      return;
    }
    if (!v.contains(address)) {
      report(Violation.DETACHED_VMA, String.format(Locale.ROOT,
          "task %s set a PTE at %x of %s through %s, which a split or merge by task %s moved"
              + " away from that address before; the fault never re-validated the VMA",
          t.name(), address, mm.name(), v, name(lastVmaOpTask)), pteIn(mm, address, v), t,
          lastVmaOpTask);
      return;
    }
    if (write && !v.writable() && !mprotectCovers(mm, address)) {
      report(Violation.PTE_PROTECTION, String.format(Locale.ROOT,
          "task %s set a writable PTE at %x of %s in %s, which has no VM_WRITE (mprotect by"
              + " task %s returned before)", t.name(), address, mm.name(), v, name(
              lastVmaOpTask)), pteIn(mm, address, v), t, lastVmaOpTask);
    }
  }

  private boolean mprotectCovers(MmStruct mm, long address) {
    for (Range r : mprotects) {
      if (r.covers(mm, address)) {
        return true;
      }
    }
    return false;
  }

  /** {@code v} was merged into its neighbour: detached, its range (and PTEs) the neighbour's. */
  void vmaDetached(Task t, Vma v) {
    detachedBy.put(v, t);
  }

  /** {@code remove_vma}: any PTE still in the range was set after the unmap's zap. */
  void vmaRemoved(Task t, Vma v) {
    detachedBy.put(v, t);
    lastVmaOpTask = t;
    MmStruct mm = v.mm();
    for (long a = v.start(); a < v.end(); a = next(mm, a)) {
      if (mm.pte(a) != null) {
        report(Violation.PTE_AFTER_MUNMAP, String.format(Locale.ROOT,
            "task %s removed %s with a PTE at %x still set: mapped after the unmap's zap, it is"
                + " freed with the page tables while its page stays mapped", t.name(), v, a),
            pteIn(mm, a, v), null, t);
      }
    }
  }

  /**
   * An unmap of [start, end) returned ({@code what}: a munmap, or an mremap that cut that tail
   * off its VMA): no PTE may be left there unless a new VMA maps it.
   */
  void munmapEnds(Task t, MmStruct mm, long start, long end, String what) {
    for (long a = start; a < end; a = next(mm, a)) {
      if (mm.pte(a) != null && mm.findVma(a) == null) {
        report(Violation.PTE_AFTER_MUNMAP, String.format(Locale.ROOT,
            "task %s's %s of [%x, %x) of %s returned with a PTE at %x and no VMA there",
            t.name(), what, start, end, mm.name(), a), Touches.pte(mm, a), null, t);
      }
    }
  }

  /** An operation that may split, shrink or grow a VMA begins in task {@code t}. */
  void vmaOpStarts(Task t) {
    lastVmaOpTask = t;
  }

  Object mprotectStarts(Task t, MmStruct mm, long start, long end, long now) {
    Range r = new Range(t, mm, start, end, now);
    mprotects.add(r);
    lastVmaOpTask = t;
    return r;
  }

  /** The mprotect {@code token} returned: every PTE in its range must agree with its VMA. */
  void mprotectEnds(Object token) {
    Range r = (Range) token;
    mprotects.remove(r);
    for (long a = r.start(); a < r.end(); a = next(r.mm(), a)) {
      Vma v = r.mm().findVma(a);
      if (v != null && !v.writable() && r.mm().pte(a) != null && r.mm().pteWritable(a)) {
        report(Violation.PTE_PROTECTION, String.format(Locale.ROOT,
            "task %s's mprotect of [%x, %x) of %s returned with a writable PTE at %x in %s,"
                + " which has no VM_WRITE", r.task().name(), r.start(), r.end(), r.mm().name(),
            a, v), pteIn(r.mm(), a, v), null, r.task());
      }
    }
  }

  /** The next address to look at: the next page, or the next PTE page if none is here. */
  private static long next(MmStruct mm, long a) {
    if (mm.pteTable(a) == null) {
      return (a / Kernel.PMD_SIZE + 1) * Kernel.PMD_SIZE;
    }
    return a + Kernel.PAGE_SIZE;
  }

  private static String name(Task t) {
    return t == null ? "(none)" : t.name();
  }

  /** The PTE at {@code address}, and {@code v} itself (not the other PTEs set in it). */
  private static Touches.Target pteIn(MmStruct mm, long address, Vma v) {
    return Touches.anyOf(List.of(Touches.pte(mm, address), Touches.vma(v, false)));
  }

  /**
   * Reports a violation on {@code target}: {@code victim} the task whose use of it is wrong
   * (null: found from the steps), {@code culprit} the task whose change of the VMA or PTE it
   * raced with (null: found from the steps).
   */
  private void report(String kind, String summary, Touches.Target target, Task victim,
      Task culprit) {
    Interleaving.Focus focus = new Interleaving.Focus(target);
    if (victim != null) {
      focus.victim(victim.name());
    }
    if (culprit != null && culprit != victim) {
      focus.culprit(culprit.name());
    }
    oracle.report(kind, summary, focus);
  }
}
