package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.locks.LockClass;
import faultsim.locks.LockKind;
import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * State a design declares in C syntax: fields on a host struct, globals, and their inheritance
 * through {@code extends}. Every cost is zero on one core unless said otherwise, so the values
 * follow from the programs alone.
 */
final class DeclaredStateTest {
  private static final String FIELDS = """
      design fields;
      struct box {
          rwlock_t tree_lock;
          struct rw_semaphore range_lock;
          seqlock_t gen_lock;
          atomic_long_t refs;
          unsigned long generation;
          bool dead;
          struct box *peer;
      };
      DEFINE_MUTEX(global_box_mutex);
      static int nr_calls;

      long use(struct box *b, struct box *other) {
          read_lock(&b->tree_lock);
          atomic_long_inc(&b->refs);
          atomic_long_inc(&b->refs);
          read_unlock(&b->tree_lock);
          write_lock(&b->tree_lock);
          b->generation = b->generation + 5;
          b->peer = other;
          write_unlock(&b->tree_lock);
          down_write(&b->range_lock);
          up_write(&b->range_lock);
          mutex_lock(&global_box_mutex);
          nr_calls = nr_calls + 1;
          mutex_unlock(&global_box_mutex);
          write_seqlock(&b->gen_lock);
          write_sequnlock(&b->gen_lock);
          if (b->dead || b->peer != other) {
              return -1;
          }
          return atomic_long_read(&b->refs) * 100 + b->generation * 10 + nr_calls;
      }
      """;

  @Test
  void declaredFields_startAtZeroAndKeepTheirValuesPerObject() throws InputException {
    // First call on box 1: refs 0 -> 2, generation 0 -> 5, nr_calls 0 -> 1: 2*100 + 5*10 + 1.
    // Second call on box 1: refs 4, generation 10, nr_calls 2: 400 + 100 + 2 = 502.
    // A call on box 2 (fresh fields, the global shared): refs 2, generation 5, nr_calls 3.
    CompiledDesign d = TestHost.compile(FIELDS);
    Runs r = Runs.zeroCost();
    Box one = r.box(1);
    Box two = r.box(2);
    assertThat(r.call(d, "use", one, two)).isEqualTo(251L);
    assertThat(r.call(d, "use", one, two)).isEqualTo(502L);
    assertThat(r.call(d, "use", two, one)).isEqualTo(253L);
  }

  @Test
  void declaredLocks_areLockClassesNamedAsLockdepDoes() throws InputException {
    // Three calls: each takes tree_lock once for read and once for write, range_lock and
    // gen_lock once for write, and the global mutex once. The class of a field's lock is
    // &box->FIELD, of a global lock the variable's name; one class for every box's lock.
    CompiledDesign d = TestHost.compile(FIELDS);
    Runs r = Runs.zeroCost();
    Box one = r.box(1);
    Box two = r.box(2);
    r.call(d, "use", one, two);
    r.call(d, "use", one, two);
    r.call(d, "use", two, one);
    LockClass tree = lockClass(r, "&box->tree_lock");
    assertThat(tree.kind()).isEqualTo(LockKind.RWLOCK);
    assertThat(tree.read().acquisitions()).isEqualTo(3);
    assertThat(tree.write().acquisitions()).isEqualTo(3);
    assertThat(lockClass(r, "&box->range_lock").kind()).isEqualTo(LockKind.RWSEM);
    assertThat(lockClass(r, "&box->gen_lock").kind()).isEqualTo(LockKind.SEQLOCK);
    LockClass global = lockClass(r, "global_box_mutex");
    assertThat(global.kind()).isEqualTo(LockKind.MUTEX);
    assertThat(global.write().acquisitions()).isEqualTo(3);
  }

  private static LockClass lockClass(Runs r, String name) {
    for (LockClass c : r.s.locks().classes()) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no lock class " + name + " in " + r.s.locks().classes());
  }

  @Test
  void extends_inheritsFieldsAndGlobals() throws InputException {
    // test_state_base declares refs, dead, tree_lock and box_list_lock and get_box (refs + 1).
    // Two get_box calls and one more inc here: refs 3.
    CompiledDesign d = TestHost.compile("""
        design child extends test_state_base;
        long count(struct box *b) {
            get_box(b);
            get_box(b);
            spin_lock(&box_list_lock);
            atomic_inc(&b->refs);
            spin_unlock(&box_list_lock);
            return atomic_read(&b->refs);
        }
        """);
    Runs r = Runs.zeroCost();
    assertThat(r.call(d, "count", r.box(1))).isEqualTo(3L);
    assertThat(lockClass(r, "box_list_lock").write().acquisitions()).isEqualTo(1);
  }

  @Test
  void redeclaringAnInheritedField_isAnErrorAtTheRedeclaration() {
    List<Diagnostic> errors = TestHost.errors("""
        design child extends test_state_base;
        struct box {
            atomic_t refs;
        };
        """);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0).toString()).isEqualTo("test.design:3:14: struct box already has a"
        + " field 'refs', declared at builtin:test_state_base:6:14");
  }

  @Test
  void redeclaringAGlobalOrAHostField_isAnError() {
    List<Diagnostic> errors = TestHost.errors("""
        design child extends test_state_base;
        DEFINE_SPINLOCK(box_list_lock);
        struct box { int value; };
        """);
    assertThat(errors).extracting(Diagnostic::toString).containsExactly(
        "test.design:3:18: struct box already has a field 'value' (the kernel model's);"
            + " choose another name",
        "test.design:2:17: 'box_list_lock' is already a global declared at"
            + " builtin:test_state_base:9:17");
  }

  @Test
  void badDeclarations_sayWhatIsExpected() {
    List<Diagnostic> errors = TestHost.errors("""
        design bad;
        struct box {
            spinlok_t lock2;
            struct box other;
            dist d;
        };
        struct page { int x; };
        DEFINE_SPINLOK(x);
        """);
    assertThat(errors).extracting(Diagnostic::toString).containsExactly(
        "test.design:3:5: unknown type 'spinlok_t'; did you mean 'spinlock_t'?",
        "test.design:4:5: a struct box cannot be embedded; declare a pointer: struct box *other",
        "test.design:5:5: 'd' cannot be declared dist; declare a lock, an atomic_t, an integer,"
            + " a bool or a pointer to a struct",
        "test.design:7:8: designs cannot add fields to struct page; they may add fields to"
            + " struct box",
        "test.design:8:1: unknown declaration macro 'DEFINE_SPINLOK'; expected one of"
            + " DEFINE_SPINLOCK, DEFINE_RWLOCK, DEFINE_MUTEX, DECLARE_RWSEM, DEFINE_SEQLOCK,"
            + " DECLARE_WAIT_QUEUE_HEAD; did you mean 'DEFINE_SPINLOCK'?");
  }

  @Test
  void sharesLine_putsAFieldOnTheLineOfAHostFieldOrOfAnEarlierDeclaredOne() throws Exception {
    // refs lives on the host spinlock's line, gen_lock on refs' (so on spin's too), while
    // other gets its own. Slots are in declaration order: refs 0, gen_lock 1, other 2.
    CompiledDesign d = TestHost.compile("""
        design shared;
        struct box {
            atomic_t refs __shares_line(spin);
            seqlock_t gen_lock __shares_line(refs);
            atomic_t other;
        };
        void touch(struct box *b) {
            atomic_inc(&b->refs);
            atomic_inc(&b->other);
            write_seqlock(&b->gen_lock);
            write_sequnlock(&b->gen_lock);
        }
        """);
    Runs r = Runs.zeroCost();
    Box b = r.box(1);
    r.call(d, "touch", b);
    Object[] slots = b.designFields(3);
    assertThat(DeclaredVar.lineOf(slots[0])).isSameAs(b.spin.line());
    assertThat(DeclaredVar.lineOf(slots[1])).isSameAs(b.spin.line());
    assertThat(DeclaredVar.lineOf(slots[2])).isNotSameAs(b.spin.line());
    // A second box's fields share its own spinlock's line, not the first box's.
    Box c = r.box(2);
    r.call(d, "touch", c);
    assertThat(DeclaredVar.lineOf(c.designFields(3)[0])).isSameAs(c.spin.line())
        .isNotSameAs(b.spin.line());
  }

  @Test
  void sharesLine_misused_saysWhatIsExpected() {
    // Columns: "    atomic_t a __share_line(spin);" the attribute at 16; "    int n
    // __shares_line(spin);" the attribute at 11; "    atomic_t c __shares_line(nope);" the
    // named field at 30; "    atomic_t v __shares_line(value);" at 30 (value is an int).
    assertThat(TestHost.errors("""
        design bad;
        struct box {
            atomic_t a __share_line(spin);
            int n __shares_line(spin);
            atomic_t c __shares_line(nope);
            atomic_t v __shares_line(value);
        };
        """)).extracting(Diagnostic::toString).containsExactly(
        "test.design:3:16: unknown field attribute '__share_line'; expected"
            + " __shares_line(FIELD); did you mean '__shares_line'?",
        "test.design:4:11: __shares_line needs a lock, atomic or wait queue; 'n' is int",
        "test.design:5:30: struct box has no field 'nope' declared before this one",
        "test.design:6:30: 'value' is a int, not on a cache line of its own; __shares_line"
            + " names a lock, atomic or wait queue");
  }

  @Test
  void embeddedObjects_cannotBeAssigned() {
    List<Diagnostic> errors = TestHost.errors("""
        design bad;
        struct box { atomic_t refs; };
        DEFINE_SPINLOCK(l);
        void f(struct box *b) {
            b->refs = 1;
        }
        """);
    assertThat(errors).extracting(Diagnostic::toString).containsExactly(
        "test.design:5:8: field 'refs' of struct box is a atomic_t; use its primitives");
  }

  @Test
  void cHabits_sayWhatToWriteInstead() {
    assertThat(TestHost.errors("""
        design bad;
        void f(int n) {
            n++;
        }
        """)).extracting(Diagnostic::toString)
        .containsExactly("test.design:3:6: '++' is not in the design language; write n = n + 1");
    assertThat(TestHost.errors("""
        design bad;
        void f(int n) {
            n += 2;
        }
        """)).extracting(Diagnostic::toString)
        .containsExactly("test.design:3:7: '+=' is not in the design language; write n = n + ...");
    assertThat(TestHost.errors("""
        design bad;
        void f(int n) {
            for (int i = 0; i < n; i = i + 1) { cpu(1us); }
        }
        """)).extracting(Diagnostic::toString).first().isEqualTo("test.design:3:9: C's for"
        + " (init; cond; step) is not in the design language; write 'for i in range(a, b) {"
        + " ... }' or 'while (cond) { ... }'");
  }
}
