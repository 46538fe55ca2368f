package faultsim.lang;

import java.util.List;

/**
 * A function as one design defines it: signature (resolved types and the text as written) and
 * its parse tree; {@link #code} once compiled.
 */
final class FunctionDecl {
  final DesignLevel level;
  final DesignParser.FunctionDefContext ctx;
  final String name;
  final Type returnType;
  final List<Type> paramTypes;
  final List<String> paramNames;
  final String signatureText;
  /** Set when it overrides with another signature: callers keep the ancestor's definition. */
  boolean badOverride;
  FunctionCode code;
  /** The kernel-model fields the body names (directly or through a primitive), in order. */
  final List<FieldUse> fieldUses = new java.util.ArrayList<>();

  /**
   * For each primitive call, the lock class of each of its lock effects (see
   * {@link FunctionCompiler}); a parameter's is {@link LockOrder#PARAM} and its name.
   */
  final java.util.Map<org.antlr.v4.runtime.ParserRuleContext, List<String>> lockSites =
      new java.util.IdentityHashMap<>();
  /** For each call of a design function (by its name token), the lock class of each argument. */
  final java.util.Map<org.antlr.v4.runtime.Token, List<String>> argClasses =
      new java.util.IdentityHashMap<>();

  /** A use of {@code field} at {@code at}. */
  record FieldUse(HostField field, org.antlr.v4.runtime.Token at) {}

  FunctionDecl(DesignLevel level, DesignParser.FunctionDefContext ctx, Type returnType,
      List<Type> paramTypes, List<String> paramNames, String signatureText) {
    this.level = level;
    this.ctx = ctx;
    this.name = ctx.name.getText();
    this.returnType = returnType;
    this.paramTypes = List.copyOf(paramTypes);
    this.paramNames = List.copyOf(paramNames);
    this.signatureText = signatureText;
  }

  boolean sameSignature(FunctionDecl other) {
    return returnType == other.returnType && paramTypes.equals(other.paramTypes);
  }
}
