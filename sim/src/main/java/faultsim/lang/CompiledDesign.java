package faultsim.lang;

import faultsim.workload.Diagnostic;
import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded design: its extends chain checked and compiled, every function resolved to its
 * most-derived definition. Immutable, so one compiled design may serve runs on several threads
 * (each run has its own {@link RunEnv} and {@link DesignCall}s).
 */
public final class CompiledDesign {
  private final List<DesignLevel> levels;
  private final Map<String, FunctionDecl> table;
  private final Host host;
  private final Map<String, FunctionHandle> handles = new HashMap<>();
  private final Declarations declarations;

  CompiledDesign(List<DesignLevel> levels, Map<String, FunctionDecl> table, Host host,
      Declarations declarations) {
    this.levels = List.copyOf(levels);
    this.table = table;
    this.host = host;
    this.declarations = declarations;
    List<FunctionCode> code = new ArrayList<>();
    for (FunctionDecl d : table.values()) {
      handles.put(d.name, new FunctionHandle(d.code));
      code.add(d.code);
    }
    // Compiled whether or not runs will interpret it: a loaded design is shared (built-in
    // designs are cached), and each run's RunEnv chooses.
    BytecodeCompiler.compileAll(code);
  }

  /** The design's name, from its header. */
  public String name() {
    return leaf().name;
  }

  /** The name of the design it extends, or null. */
  public String base() {
    return leaf().parent == null ? null : leaf().parent.name;
  }

  /** The host it was checked against. */
  public Host host() {
    return host;
  }

  /** The text of every file of the extends chain, this design's first. */
  public List<SourceText> source() {
    List<SourceText> list = new ArrayList<>();
    for (int i = levels.size() - 1; i >= 0; i--) {
      DesignLevel l = levels.get(i);
      list.add(new SourceText(l.name, l.source.diagnosticFile(), l.source.text()));
    }
    return list;
  }

  /** Every function after extends, in the order the chain first defines them. */
  public List<String> functionNames() {
    return List.copyOf(table.keySet());
  }

  /**
   * The functions (after extends) that runs interpret because they could not be compiled to
   * bytecode: none unless a single instruction's code exceeds what the JIT compiles in one
   * method, or the operand stack's depth differs between the paths to an instruction (which the
   * design compiler does not produce).
   */
  public List<String> interpretedFunctions() {
    List<String> names = new ArrayList<>();
    for (FunctionDecl d : table.values()) {
      if (d.code.compiled == null) {
        names.add(d.name);
      }
    }
    return names;
  }

  /**
   * The function called {@code name}.
   *
   * @throws IllegalArgumentException if the design has none
   */
  public FunctionHandle function(String name) {
    FunctionHandle h = handles.get(name);
    if (h == null) {
      throw new IllegalArgumentException("design " + name() + " has no function '" + name
          + "'; it has " + functionNames());
    }
    return h;
  }

  /**
   * The function called {@code name}, checked to have exactly this signature: what a driver
   * needs before it runs the design.
   *
   * @throws InputException naming the design (and the definition, if the signature differs)
   */
  public FunctionHandle requireFunction(String name, Type returnType, Type... paramTypes)
      throws InputException {
    String want = FunctionHandle.signature(returnType, name, Arrays.asList(paramTypes));
    FunctionDecl d = table.get(name);
    if (d == null) {
      DesignSource src = leaf().source;
      var header = src.tree().header();
      throw new InputException(new Diagnostic(src.diagnosticFile(),
          header.name.getLine(), header.name.getCharPositionInLine() + 1,
          "design " + name() + " does not define " + name + "; it must define " + want));
    }
    if (d.returnType != returnType || !d.paramTypes.equals(Arrays.asList(paramTypes))) {
      throw new InputException(new Diagnostic(d.level.source.diagnosticFile(),
          d.ctx.name.getLine(), d.ctx.name.getCharPositionInLine() + 1,
          "design " + name() + ": " + name + " must be declared " + want + ", found "
              + d.signatureText));
    }
    return handles.get(name);
  }

  /**
   * The resolved program as text: every function after extends, marked with where it comes
   * from and printed from its source, followed by the lock order the design implies.
   */
  public String explain() {
    return Explain.render(this);
  }

  /**
   * {@link #explain()} followed by the lock order runs took ({@code pairs}: {@code "A -> B"} to
   * the number of its {@code replications} that took it), and how it differs from the implied
   * one; {@code where} names the runs.
   */
  public String explain(java.util.SortedMap<String, Long> pairs, long replications,
      String where) {
    return Explain.render(this) + Explain.observed(this, pairs, replications, where);
  }

  /**
   * The names the chain declares with the enumerator macro {@code macro}
   * ({@code DEFINE_VM_EVENT}), in the order of their values.
   */
  public List<String> declaredEnumerators(String macro) {
    return declarations.enumerators(macro);
  }

  Declarations declarations() {
    return declarations;
  }

  List<DesignLevel> levels() {
    return levels;
  }

  Map<String, FunctionDecl> table() {
    return table;
  }

  DesignLevel leaf() {
    return levels.get(levels.size() - 1);
  }

  @Override
  public String toString() {
    return "design " + name() + (base() == null ? "" : " extends " + base());
  }
}
