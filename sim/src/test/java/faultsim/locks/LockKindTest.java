package faultsim.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link LockKind}: workload spellings and the families' properties. */
final class LockKindTest {

  // rwlock_t, seqlock_t and range locks are declared by designs only: synthetic jobs have no steps for them.
  @ParameterizedTest
  @EnumSource(value = LockKind.class, names = {"RWLOCK", "SEQLOCK", "RANGELOCK"},
      mode = EnumSource.Mode.EXCLUDE)
  void parse_key_roundTrips(LockKind kind) {
    assertThat(LockKind.parse(kind.key())).isEqualTo(kind);
  }

  @ParameterizedTest
  @ValueSource(strings = {"semaphore", "", "rw_semaphore", "spin lock"})
  void parse_unknown_messageNamesInputAndValidSpellings(String s) {
    assertThatThrownBy(() -> LockKind.parse(s))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown lock kind '" + s
            + "'; expected one of spinlock, mutex, rwsem, folio, seqcount");
  }

  @Test
  void families_sleepAndReadSide_asKernelPathsSectionB() {
    assertThat(LockKind.SPINLOCK.sleeps()).isFalse();
    assertThat(LockKind.SEQCOUNT.sleeps()).isFalse();
    assertThat(LockKind.MUTEX.sleeps()).isTrue();
    assertThat(LockKind.RWSEM.sleeps()).isTrue();
    assertThat(LockKind.FOLIO.sleeps()).isTrue();
    assertThat(LockKind.RWSEM.hasReadSide()).isTrue();
    assertThat(LockKind.SEQCOUNT.hasReadSide()).isTrue();
    assertThat(LockKind.MUTEX.hasReadSide()).isFalse();
  }
}
