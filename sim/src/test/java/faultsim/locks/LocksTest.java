package faultsim.locks;

import static faultsim.machine.Scenario.acquire;
import static faultsim.machine.Scenario.acquireRead;
import static faultsim.machine.Scenario.cpu;
import static faultsim.machine.Scenario.release;
import static faultsim.machine.Scenario.releaseRead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.machine.Scenario;
import org.junit.jupiter.api.Test;

/** {@link Locks}: lock classes shared by instances, ordering, and kind mismatches. */
final class LocksTest {

  @Test
  void create_sameClassTwice_instancesShareStatistics() {
    // Two files' invalidate_lock: one class. Each instance is taken once, uncontended.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock a = s.lock("&mapping->invalidate_lock", LockKind.RWSEM);
    Lock b = s.lock("&mapping->invalidate_lock", LockKind.RWSEM);
    s.spawn("T", 0, acquireRead(a), acquire(b), release(b), releaseRead(a));

    s.run();

    assertThat(a).isNotSameAs(b);
    assertThat(a.lockClass()).isSameAs(b.lockClass());
    assertThat(a.lockClass().read().acquisitions()).isEqualTo(1);
    assertThat(a.lockClass().write().acquisitions()).isEqualTo(1);
    assertThat(s.locks().classes()).hasSize(1);
  }

  @Test
  void lockClass_otherKind_messageNamesBoth() {
    Scenario s = new Scenario(Scenario.zeroCost(1, true));
    s.lock("&mapping->i_mmap_rwsem", LockKind.RWSEM);

    assertThatThrownBy(() -> s.lock("&mapping->i_mmap_rwsem", LockKind.MUTEX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lock class &mapping->i_mmap_rwsem is a rwsem, used here as a mutex");
  }

  @Test
  void classesByContention_oneContendedClass_listedFirstThenByName() {
    // "b" is contended once (B waits for A), "a" and "c" never: b, then a, c by name.
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock c = s.lock("c", LockKind.MUTEX);
    Lock a = s.lock("a", LockKind.MUTEX);
    Lock b = s.lock("b", LockKind.MUTEX);
    s.spawn("A", 0, acquire(b), cpu(1_000), release(b), acquire(a), release(a));
    s.spawn("B", 500, acquire(b), release(b), acquire(c), release(c));

    s.run();

    assertThat(s.locks().classesByContention()).extracting(LockClass::name)
        .containsExactly("b", "a", "c");
  }

  @Test
  void resetStats_afterContention_zeroesEveryField() {
    Scenario s = new Scenario(Scenario.zeroCost(2, true));
    Lock m = s.lock("m", LockKind.MUTEX);
    s.spawn("A", 0, acquire(m), cpu(1_000), release(m));
    s.spawn("B", 500, acquire(m), release(m));
    s.run();

    s.locks().resetStats();

    LockStats st = m.lockClass().write();
    assertThat(new long[] {st.conBounces(), st.contentions(), st.waitMinNs(), st.waitMaxNs(),
        st.waitTotalNs(), st.acqBounces(), st.acquisitions(), st.holdMinNs(), st.holdMaxNs(),
        st.holdTotalNs(), st.holds()}).containsOnly(0);
  }
}
