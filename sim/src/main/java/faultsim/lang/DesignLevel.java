package faultsim.lang;

import java.util.LinkedHashMap;
import java.util.Map;

/** One design of an extends chain: its source, its parent and the functions it defines. */
final class DesignLevel {
  final DesignSource source;
  final String name;
  final DesignLevel parent;
  final Map<String, FunctionDecl> functions = new LinkedHashMap<>();

  DesignLevel(DesignSource source, String name, DesignLevel parent) {
    this.source = source;
    this.name = name;
    this.parent = parent;
  }

  /** The nearest proper ancestor's definition of {@code function}, or null. */
  FunctionDecl inAncestors(String function) {
    for (DesignLevel l = parent; l != null; l = l.parent) {
      FunctionDecl d = l.functions.get(function);
      if (d != null) {
        return d;
      }
    }
    return null;
  }
}
