package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;

import faultsim.workload.InputException;
import org.junit.jupiter.api.Test;

/** {@code faultsim explain} and {@code faultsim designs}: what a design resolves to. */
final class ExplainTest {
  private static final String CHILD = """
      design explain_child extends "explain_base.design";
      // Take the spinlock before the mutex: an inversion of the base's order.
      int locked_work(struct box *m) {
          spin_lock(&m->spin);
          mutex_lock(&m->lock);
          mutex_unlock(&m->lock);
          spin_unlock(&m->spin);
          return super.locked_work(m);
      }

      void extra(struct box *b) {
          if (mutex_trylock(&b->lock)) {
              spin_lock(&b->spin);
              spin_unlock(&b->spin);
              mutex_unlock(&b->lock);
          }
      }
      """;

  @Test
  void explain_marksOriginsAndListsTheLockOrder() throws InputException {
    // Entry points: fault, unrelated, extra (locked_work is called by fault). Walking fault
    // with b->sem held, the child's locked_work (m = b) takes b->spin then b->lock, and the
    // base's (through super) b->lock then b->spin; extra's trylock orders nothing before it.
    CompiledDesign d = TestHost.compile(CHILD);
    assertThat(d.explain()).isEqualTo("""
        design explain_child extends explain_base;

        /* from explain_base */
        int fault(struct box *b) {
            down_read(&b->sem);
            int ret = locked_work(b);
            up_read(&b->sem);
            return ret;
        }

        /* overrides explain_base */
        int locked_work(struct box *m) {
            spin_lock(&m->spin);
            mutex_lock(&m->lock);
            mutex_unlock(&m->lock);
            spin_unlock(&m->spin);
            return super.locked_work(m);
        }

        /* from explain_base */
        void unrelated() { cpu(1us); }

        /* new */
        void extra(struct box *b) {
            if (mutex_trylock(&b->lock)) {
                spin_lock(&b->spin);
                spin_unlock(&b->spin);
                mutex_unlock(&b->lock);
            }
        }

        lock order implied (lockdep classes; A -> B: B taken with A held on every path there):
          &box->lock -> &box->spin
          &box->sem -> &box->lock
          &box->sem -> &box->spin
          &box->spin -> &box->lock
        cycles (possible deadlocks; the oracle reports those a run takes, with both chains):
          &box->lock -> &box->spin -> &box->lock
        """);
  }

  @Test
  void explain_designWithoutLocks_saysNone() throws InputException {
    CompiledDesign d = DesignLibrary.load("test_base", null, TestHost.host());
    assertThat(d.explain()).startsWith("design test_base;\n\n/* new */\nint a(struct box *x) {")
        .endsWith("lock order implied: none\n");
  }

  @Test
  void explain_threeLevels_showsTheChain() throws InputException {
    CompiledDesign d = TestHost.compile(
        "design g extends \"child_file.design\";\nvoid b(struct box *x) { }\n");
    assertThat(d.explain()).startsWith("design g extends child_file;\n"
        + "// chain: g <- child_file <- test_base\n\n/* from test_base */\nint a(");
    assertThat(d.explain()).contains("/* overrides test_base */\nvoid b(")
        .contains("/* from child_file */\nint c(");
  }

  @Test
  void builtins_listNameAndFirstCommentLine() {
    assertThat(DesignLibrary.builtins()).contains(new BuiltinDesign("test_base",
        "A ten-line base for tests: a() calls b() and c(), each leaving a mark in box->value."));
  }

  @Test
  void description_takesTheFirstCommentAfterTheHeader() {
    assertThat(DesignLibrary.description("// licence\ndesign x; // short\nvoid f() {}\n"))
        .isEqualTo("short");
    assertThat(DesignLibrary.description("design x;\n\n/* Block comment\n more */\n"))
        .isEqualTo("Block comment");
    assertThat(DesignLibrary.description("design x;\nvoid f() {}\n// late\n")).isEmpty();
  }

  @Test
  void explain_namesLocksByClass_whateverTheVariable_andOnlyOrdersHeldOnEveryPath()
      throws InputException {
    // f takes the same lock through a parameter (a), a local (l) and a field (b->sem): one
    // class. g drops sem on one branch only before taking spin: sem is not held on every path
    // to spin_lock, so no order sem -> spin; it then takes lock with spin held on every path.
    // The declared global_lock is named by its variable, a declared field by &box->FIELD.
    CompiledDesign d = TestHost.compile("""
        design classes;
        struct box { rwlock_t tree; };
        DEFINE_SPINLOCK(global_lock);
        void f(struct box *b, struct rw_semaphore *a) {
            struct rw_semaphore *l = &b->sem;
            down_read(a);
            spin_lock(&global_lock);
            read_lock(&b->tree);
            read_unlock(&b->tree);
            spin_unlock(&global_lock);
            up_read(l);
        }
        void g(struct box *b, bool drop) {
            down_read(&b->sem);
            if (drop) {
                up_read(&b->sem);
            }
            spin_lock(&b->spin);
            mutex_lock(&b->lock);
            mutex_unlock(&b->lock);
            spin_unlock(&b->spin);
            if (!drop) {
                up_read(&b->sem);
            }
        }
        void h(struct box *b) {
            f(b, &b->sem);
        }
        """);
    assertThat(d.explain()).endsWith("""
        lock order implied (lockdep classes; A -> B: B taken with A held on every path there):
          &box->sem -> &box->tree
          &box->sem -> global_lock
          &box->spin -> &box->lock
          global_lock -> &box->tree
        cycles: none
        """);
  }

  @Test
  void explain_linux66_hasNoCycle_theDaxSeedDesignHasItsLockdepCycle() throws Exception {
    // Seed 003: holding i_mmap_mutex across ->get_block, which starts a journal handle, while
    // the punch takes the handle's class first: lockdep's report, found statically.
    faultsim.lang.Host host = faultsim.fault.KernelHost.create();
    assertThat(DesignLibrary.load("linux_6_6", null, host).explain()).contains("cycles: none");
    assertThat(DesignLibrary.load("dax_get_block_under_i_mmap", null, host).explain())
        .contains("  &mapping->i_mmap_mutex -> jbd2_handle -> &mapping->i_mmap_mutex\n");
  }
}
