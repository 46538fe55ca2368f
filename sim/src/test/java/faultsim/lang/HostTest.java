package faultsim.lang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import faultsim.workload.InputException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** How Java code adds vocabulary to the language, and what it may not do. */
final class HostTest {

  @Test
  void definitions_nameClashesAndReservedWordsAreRejected() {
    Host h = Host.withCorePrimitives();
    h.defineType("folio", Object.class);
    assertThatThrownBy(() -> h.defineType("folio", Object.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("type 'folio' defined twice");
    assertThatThrownBy(() -> h.defineType("int", Object.class))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.primitive("wait_event"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'wait_event' is reserved by the design language");
    assertThatThrownBy(() -> h.primitive("2fast")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.primitive("noimpl").add())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("primitive noimpl has no impl");
    assertThatThrownBy(() -> h.primitive("cpu").params(Type.INT).impl((e, t, a) -> null).add())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primitive cpu(int) defined twice");
    assertThatThrownBy(() -> h.field(Type.INT, "x", Type.INT, o -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.primitive("p").params(Type.INT).acquires(1, true)
        .impl((e, t, a) -> null).add()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.primitive("two").params(Type.INT).impl((e, t, a) -> null)
        .implSlots((e, t, a) -> null).add())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primitive two has more than one impl");
    assertThatThrownBy(() -> h.primitive("lref").params(Type.INT).returns(Type.DIST)
        .implLong((e, t, a) -> 0).add())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("primitive lref returns dist: a long impl is for int and bool values");
    h.constant("X", 1);
    assertThatThrownBy(() -> h.global("X", Type.INT, env -> 1L))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void coreHost_hasTheKernelLockApi() {
    Host h = Host.withCorePrimitives();
    for (String p : new String[] {"spin_lock", "spin_unlock", "spin_trylock", "mutex_lock",
        "mutex_unlock", "mutex_trylock", "down_read", "up_read", "down_write", "up_write",
        "down_read_trylock", "down_write_trylock", "read_seqcount_begin", "read_seqcount_retry",
        "write_seqcount_begin", "write_seqcount_end", "rcu_read_lock", "rcu_read_unlock",
        "preempt_disable", "preempt_enable", "might_sleep", "wake_up_all", "cpu",
        "schedule_timeout", "range", "exp", "uniform", "lognormal", "const"}) {
      assertThat(h.primitives(p)).as(p).isNotEmpty();
    }
    assertThat(h.primitives("cpu")).extracting(Primitive::signature)
        .containsExactly("cpu(int)", "cpu(dist)");
    assertThat(h.primitives("down_read").get(0).lockEffects())
        .containsExactly(new Primitive.LockEffect(0, false, Primitive.LockAction.ACQUIRE, null));
    assertThat(h.type("rw_semaphore").javaClass()).isEqualTo(faultsim.locks.RwSemaphore.class);
  }

  @Test
  void globals_areComputedOncePerRun() throws InputException {
    Host h = TestHost.host();
    AtomicInteger evaluations = new AtomicInteger();
    h.global("fault_around_bytes", Type.INT, env -> {
      evaluations.incrementAndGet();
      return env.context(Long.class);
    });
    h.typeAlias("gfp_t", Type.INT);
    CompiledDesign d = DesignLibrary.compile("g.design", """
        design g;
        gfp_t twice() { return fault_around_bytes + fault_around_bytes; }
        """, null, h);
    Runs r = Runs.zeroCost();
    r.env.setContext(64L * 1024);
    assertThat(r.call(d, "twice")).isEqualTo(128L * 1024);
    assertThat(evaluations).hasValue(1);
    Runs other = Runs.zeroCost();
    other.env.setContext(4096L);
    assertThat(other.call(d, "twice")).isEqualTo(8192L);
    assertThat(evaluations).hasValue(2);
  }

  @Test
  void runEnvContext_wrongType_saysWhatItIs() {
    RunEnv env = new RunEnv(null);
    assertThatThrownBy(() -> env.context(String.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the run's context is not set, not a String");
    env.setContext(3L);
    assertThat(env.context(Long.class)).isEqualTo(3L);
  }

  @Test
  void fieldGetters_mayReturnAnyNumberForInts() throws InputException {
    Host h = Host.withCorePrimitives();
    Type pt = h.defineType("point", int[].class);
    h.field(pt, "x", Type.INT, o -> ((int[]) o)[0]);
    h.primitive("origin").returns(pt).impl((e, t, a) -> new int[] {41}).add();
    CompiledDesign d = DesignLibrary.compile("p.design",
        "design p;\nint f() { struct point *p = origin(); return p->x + 1; }\n", null, h);
    assertThat(Runs.zeroCost().call(d, "f")).isEqualTo(42L);
  }

  @Test
  void intFields_readAsLongs_andSlotAndLongImpls_giveTheirValues() throws InputException {
    // p->x read through a long getter, p->y through a boxed one; scale() (a long impl) and
    // shift() (a slot impl) read their int, bool and reference arguments from the slots:
    // f() = scale(p, 3, true) + shift(p->y) = (41 * 3 + 1) + (2 << 40) = 124 + 2^41.
    Host h = Host.withCorePrimitives();
    Type pt = h.defineType("point", long[].class);
    h.intField(pt, "x", o -> ((long[]) o)[0]);
    h.field(pt, "y", Type.INT, o -> ((long[]) o)[1]);
    h.primitive("origin").returns(pt).impl((e, t, a) -> new long[] {41, 2}).add();
    h.primitive("scale").params(pt, Type.INT, Type.BOOL).returns(Type.INT)
        .implLong((e, t, a) -> ((long[]) a.ref(0))[0] * a.i(1) + (a.bool(2) ? 1 : 0)).add();
    h.primitive("shift").params(Type.INT).returns(Type.INT)
        .implSlots((e, t, a) -> a.i(0) << 40).add();
    CompiledDesign d = DesignLibrary.compile("p.design", "design p;\n"
        + "int f() { struct point *p = origin(); return scale(p, 3, true) + shift(p->y); }\n"
        + "int x() { struct point *p = origin(); return p->x; }\n", null, h);
    assertThat(Runs.zeroCost().call(d, "f")).isEqualTo(124L + (2L << 40));
    assertThat(Runs.zeroCost().call(d, "x")).isEqualTo(41L);
  }

  @Test
  void boolFields_readAsLongs_giveZeroOrOne() throws InputException {
    // p->on and p->off are bool fields read through long getters (1 and 0), p->boxed through a
    // boxed one: f() counts the true ones, 1 + 1 = 2 (p->off adds nothing), and g() negates
    // p->off, so 1. A long-getter field gives the same value boxed, for readers that box.
    Host h = Host.withCorePrimitives();
    Type pt = h.defineType("flags", boolean[].class);
    h.boolField(pt, "on", o -> ((boolean[]) o)[0]);
    h.boolField(pt, "off", o -> ((boolean[]) o)[1]);
    h.field(pt, "boxed", Type.BOOL, o -> ((boolean[]) o)[0]);
    h.primitive("flags_of").returns(pt).impl((e, t, a) -> new boolean[] {true, false}).add();
    CompiledDesign d = DesignLibrary.compile("p.design", "design p;\n"
        + "int f() { struct flags *p = flags_of(); int n = 0;"
        + " if (p->on) { n = n + 1; } if (p->off) { n = n + 10; } if (p->boxed) { n = n + 1; }"
        + " return n; }\n"
        + "bool g() { struct flags *p = flags_of(); return !p->off; }\n", null, h);
    assertThat(Runs.zeroCost().call(d, "f")).isEqualTo(2L);
    assertThat(Runs.zeroCost().call(d, "g")).isEqualTo(true);
    HostField on = h.fieldOf(pt, "on");
    assertThat(on.readsLong()).isTrue();
    assertThat(on.getter().apply(new boolean[] {true, false})).isEqualTo(true);
    assertThat(on.longGetter().applyAsLong(new boolean[] {true, false})).isEqualTo(1L);
  }
}
