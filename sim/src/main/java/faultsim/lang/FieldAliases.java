package faultsim.lang;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Two names of one kernel lock must not name two locks: {@code mm->mmap_sem} became
 * {@code mm->mmap_lock} in 5.8, and the model keeps both so that a design of either era reads
 * as its kernel did. A design that uses both names (directly, or through a wrapper such as
 * {@code mmap_read_lock}) in the functions it runs is refused, naming both places.
 */
final class FieldAliases {
  private FieldAliases() {}

  static void check(Map<String, FunctionDecl> table, Host host, Diagnostics diags) {
    Map<String, Map<String, FunctionDecl.FieldUse>> byGroup = new LinkedHashMap<>();
    Map<FunctionDecl.FieldUse, FunctionDecl> owners = new LinkedHashMap<>();
    for (FunctionDecl d : table.values()) {
      for (FunctionDecl.FieldUse u : d.fieldUses) {
        String group = host.aliasGroup(u.field());
        if (group != null) {
          byGroup.computeIfAbsent(group, k -> new LinkedHashMap<>())
              .putIfAbsent(u.field().name(), u);
          owners.putIfAbsent(u, d);
        }
      }
    }
    for (Map<String, FunctionDecl.FieldUse> uses : byGroup.values()) {
      if (uses.size() < 2) {
        continue;
      }
      var it = uses.values().iterator();
      FunctionDecl.FieldUse first = it.next();
      FunctionDecl.FieldUse second = it.next();
      FunctionDecl firstFn = owners.get(first);
      FunctionDecl secondFn = owners.get(second);
      String owner = first.field().owner().name();
      diags.error(secondFn.level.source, second.at(), "struct " + owner + "'s "
          + second.field().name() + " and " + first.field().name() + " are one lock under two"
          + " names (" + host.aliasNote(first.field()) + "), and this design uses "
          + first.field().name() + " at " + firstFn.level.source.diagnosticFile() + ":"
          + first.at().getLine() + ":" + (first.at().getCharPositionInLine() + 1) + " (in "
          + firstFn.name + "); use one name throughout");
    }
  }
}
