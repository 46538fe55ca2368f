package faultsim.lang;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.nio.file.Path;
import java.util.List;

/**
 * The host the language tests bind: the core primitives plus a {@code struct box} with a lock
 * of each family, a wait queue, a writable {@code value} and {@code ready}, a read-only
 * {@code next} and {@code id}; constants {@code VM_FAULT_RETRY} and {@code BOX_MAX}; a global
 * {@code nr_boxes}; primitives {@code box_ready(box)} and {@code chain(box)}, a cursor over
 * {@code box->next} links.
 */
final class TestHost {
  static final Path RESOURCES = Path.of("src/test/resources/faultsim/lang");

  private TestHost() {}

  static Host host() {
    Host h = Host.withCorePrimitives();
    Type box = h.defineType("box", Box.class);
    h.field(box, "lock", h.type("mutex"), o -> ((Box) o).lock);
    h.field(box, "spin", h.type("spinlock_t"), o -> ((Box) o).spin);
    h.field(box, "sem", h.type("rw_semaphore"), o -> ((Box) o).sem);
    h.field(box, "seq", h.type("seqcount_t"), o -> ((Box) o).seq);
    h.field(box, "wq", h.type("wait_queue_head"), o -> ((Box) o).wq);
    h.field(box, "value", Type.INT, o -> ((Box) o).value, (o, v) -> ((Box) o).value = (Long) v);
    h.field(box, "ready", Type.BOOL, o -> ((Box) o).ready,
        (o, v) -> ((Box) o).ready = (Boolean) v);
    h.field(box, "next", box, o -> ((Box) o).next);
    h.field(box, "id", Type.INT, o -> ((Box) o).id);
    h.extensible("box", box, "box", (o, n) -> ((Box) o).designFields(n));
    for (String f : List.of("lock", "spin", "sem", "seq")) {
      h.lockClass(box, f, "&box->" + f);
    }
    h.constant("VM_FAULT_RETRY", 0x400);
    h.constant("BOX_MAX", 16);
    h.global("nr_boxes", Type.INT, env -> 3L);
    h.primitive("box_ready").params(box).returns(Type.BOOL)
        .impl((env, t, a) -> ((Box) a[0]).ready).add();
    Type chain = h.cursorType("box_chain", box);
    h.primitive("chain").params(box).returns(chain).impl((env, t, a) -> new Cursor() {
      private Box next = (Box) a[0];

      @Override
      public Object next(RunEnv e, faultsim.machine.Task task) {
        Box b = next;
        if (b != null) {
          next = b.next;
        }
        return b;
      }
    }).add();
    return h;
  }

  static CompiledDesign compile(String text) throws InputException {
    return DesignLibrary.compile("test.design", text, RESOURCES, host());
  }

  /** The diagnostics compiling {@code text} gives (empty if it compiles). */
  static List<Diagnostic> errors(String text) {
    try {
      compile(text);
      return List.of();
    } catch (InputException e) {
      return e.diagnostics();
    }
  }
}
