package faultsim.lang;

import faultsim.workload.InputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks and compiles an extends chain: collects every design's function signatures, checks
 * names and overrides, resolves each call to the most-derived definition (functions are virtual)
 * and compiles every body, reporting all errors together.
 */
final class DesignCompiler {
  private DesignCompiler() {}

  /**
   * @param chain the designs, root (no extends) first, the design being loaded last
   */
  static CompiledDesign compile(List<DesignSource> chain, Host host, Diagnostics diags)
      throws InputException {
    List<DesignLevel> levels = new ArrayList<>();
    DesignLevel parent = null;
    Map<String, FunctionDecl> declared = new LinkedHashMap<>();
    Declarations state = new Declarations(host);
    for (DesignSource src : chain) {
      DesignLevel level = new DesignLevel(src, src.designName(), parent);
      declare(level, host, diags);
      declared.putAll(level.functions);
      state.declare(level, declared, diags);
      levels.add(level);
      parent = level;
    }
    Map<String, FunctionDecl> table = new LinkedHashMap<>();
    for (DesignLevel level : levels) {
      for (FunctionDecl d : level.functions.values()) {
        if (!d.badOverride) {
          table.put(d.name, d);
        }
        d.code = new FunctionCode(d.name, level.name, level.source, d.returnType, d.paramTypes,
            d.ctx.name.getLine(), d.ctx.name.getCharPositionInLine() + 1);
      }
    }
    for (DesignLevel level : levels) {
      for (FunctionDecl d : level.functions.values()) {
        new FunctionCompiler(d, table, host, state, diags).compile();
      }
    }
    FieldAliases.check(table, host, diags);
    diags.throwIfAny();
    return new CompiledDesign(levels, table, host, state);
  }

  /** Collects one design's function signatures and checks names and overrides. */
  private static void declare(DesignLevel level, Host host, Diagnostics diags) {
    DesignSource src = level.source;
    for (DesignParser.FunctionDefContext f : src.tree().functionDef()) {
      String name = f.name.getText();
      Type ret = TypeNames.resolve(f.typeRef(), host, src, diags);
      List<Type> params = new ArrayList<>();
      List<String> names = new ArrayList<>();
      StringBuilder sig = new StringBuilder(src.textOf(f.typeRef())).append(' ').append(name)
          .append('(');
      for (DesignParser.ParamContext p : f.param()) {
        Type t = TypeNames.resolve(p.typeRef(), host, src, diags);
        if (t.kind() == Type.Kind.VOID) {
          diags.error(src, p.name, "parameter '" + p.name.getText() + "' cannot be void");
          t = Type.ERROR;
        }
        if (names.contains(p.name.getText())) {
          diags.error(src, p.name, "duplicate parameter '" + p.name.getText() + "'");
        }
        sig.append(params.isEmpty() ? "" : ", ").append(src.textOf(p.typeRef()));
        params.add(t);
        names.add(p.name.getText());
      }
      sig.append(')');
      FunctionDecl decl = new FunctionDecl(level, f, ret, params, names, sig.toString());
      if (Host.RESERVED.contains(name)) {
        diags.error(src, f.name, "'" + name + "' is a special form; a design cannot define it");
        continue;
      }
      if (!host.primitives(name).isEmpty()) {
        diags.error(src, f.name, "'" + name + "' is a primitive; a design cannot define a"
            + " function of that name");
        continue;
      }
      FunctionDecl earlier = level.functions.get(name);
      if (earlier != null) {
        diags.error(src, f.name, "duplicate function '" + name + "': already defined at line "
            + earlier.ctx.name.getLine());
        continue;
      }
      FunctionDecl base = level.inAncestors(name);
      if (base != null && !decl.sameSignature(base) && resolved(decl) && resolved(base)) {
        diags.error(src, f.name, "'" + name + "' overrides " + base.level.name + "'s "
            + base.signatureText + " with a different signature: " + decl.signatureText);
        decl.badOverride = true;
      }
      level.functions.put(name, decl);
    }
  }

  private static boolean resolved(FunctionDecl d) {
    if (d.returnType == Type.ERROR) {
      return false;
    }
    for (Type t : d.paramTypes) {
      if (t == Type.ERROR) {
        return false;
      }
    }
    return true;
  }
}
