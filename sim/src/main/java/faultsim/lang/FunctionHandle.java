package faultsim.lang;

import java.util.List;

/**
 * A design function a driver can call with {@link DesignCall#start}: the most-derived definition
 * of that name in one {@link CompiledDesign}.
 */
public final class FunctionHandle {
  private final FunctionCode code;

  FunctionHandle(FunctionCode code) {
    this.code = code;
  }

  public String name() {
    return code.name;
  }

  /** The design whose definition this is (the loaded design or an ancestor). */
  public String design() {
    return code.design;
  }

  public Type returnType() {
    return code.returnType;
  }

  public List<Type> paramTypes() {
    return code.paramTypes;
  }

  /** {@code file:line:column} of the definition. */
  public String location() {
    return code.location;
  }

  /** {@code int name(struct folio *, int)}. */
  public String signature() {
    return signature(code.returnType, code.name, code.paramTypes);
  }

  static String signature(Type ret, String name, List<Type> params) {
    StringBuilder sb = new StringBuilder(ret.declaration()).append(' ').append(name).append('(');
    for (int i = 0; i < params.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(params.get(i).declaration());
    }
    return sb.append(')').toString();
  }

  FunctionCode code() {
    return code;
  }

  @Override
  public String toString() {
    return signature() + " from " + code.design;
  }
}
