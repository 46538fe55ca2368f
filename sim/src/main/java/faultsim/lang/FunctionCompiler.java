package faultsim.lang;

import faultsim.locks.WaitQueue;
import faultsim.workload.Suggest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Type-checks one function body and compiles it to {@link Op} code in the same walk: every
 * expression visit emits its code and returns its type ({@link Type#ERROR} after an error, which
 * then matches anything so that one mistake gives one message).
 */
final class FunctionCompiler extends DesignBaseVisitor<Type> {
  private record Local(int slot, Type type) {}

  private record Loop(CodeBuilder.Label breakTo, CodeBuilder.Label continueTo) {}

  private final FunctionDecl fn;
  private final Map<String, FunctionDecl> table;
  private final Host host;
  private final Declarations state;
  private final Diagnostics diags;
  private final DesignSource src;
  private final CodeBuilder cb = new CodeBuilder();
  private final Deque<Map<String, Local>> scopes = new ArrayDeque<>();
  private final Deque<Loop> loops = new ArrayDeque<>();
  private int nextSlot;
  private final Map<ParserRuleContext, FieldAccess> fieldAt = new java.util.IdentityHashMap<>();
  private final Map<ParserRuleContext, Primitive> primAt = new java.util.IdentityHashMap<>();
  private final Map<ParserRuleContext, Type> typeAt = new java.util.IdentityHashMap<>();
  private final Map<Integer, String> localClass = new HashMap<>();

  FunctionCompiler(FunctionDecl fn, Map<String, FunctionDecl> table, Host host,
      Declarations state, Diagnostics diags) {
    this.fn = fn;
    this.table = table;
    this.host = host;
    this.state = state;
    this.diags = diags;
    this.src = fn.level.source;
  }

  void compile() {
    Map<String, Local> params = new HashMap<>();
    for (int i = 0; i < fn.paramNames.size(); i++) {
      params.put(fn.paramNames.get(i), new Local(i, fn.paramTypes.get(i)));
    }
    scopes.push(params);
    nextSlot = fn.paramNames.size();
    visit(fn.ctx.block());
    cb.at(fn.ctx.block().stop);
    cb.statementBoundary();
    cb.emit(0, fn.returnType.kind() == Type.Kind.VOID ? Op.RET : Op.NORET);
    cb.finish(fn.code, nextSlot);
  }

  // ---- statements --------------------------------------------------------------------------

  @Override
  public Type visitBlock(DesignParser.BlockContext ctx) {
    scopes.push(new HashMap<>());
    for (DesignParser.StatementContext s : ctx.statement()) {
      visit(s);
    }
    scopes.pop();
    return null;
  }

  @Override
  public Type visitBlockStmt(DesignParser.BlockStmtContext ctx) {
    return visit(ctx.block());
  }

  private void statement(ParserRuleContext ctx) {
    cb.at(ctx.start);
    cb.statementBoundary();
  }

  @Override
  public Type visitLocalDecl(DesignParser.LocalDeclContext ctx) {
    statement(ctx);
    Type t = TypeNames.resolve(ctx.typeRef(), host, src, diags);
    String name = ctx.name.getText();
    if (t.kind() == Type.Kind.VOID) {
      diags.error(src, ctx.name, "local '" + name + "' cannot be void");
      t = Type.ERROR;
    }
    if (ctx.init == null) {
      diags.error(src, ctx.name, "local '" + name + "' needs an initialiser: "
          + src.textOf(ctx.typeRef()) + " " + name + " = ...;");
      declare(ctx.name, t);
      return null;
    }
    Type v = expr(ctx.init);
    if (!t.accepts(v)) {
      diags.error(src, ctx.init.start, "cannot initialise '" + name + "' of type "
          + t.declaration() + " with a " + v.declaration());
    }
    Local declared = declare(ctx.name, t);
    store(declared);
    noteLocalClass(declared, ctx.init);
    return null;
  }

  /** Remembers the lock class a local of a lock type is given (the first one known). */
  private void noteLocalClass(Local local, DesignParser.ExprContext value) {
    String c = lockClassOf(value);
    if (c != null && !c.startsWith(LockOrder.PARAM)) {
      localClass.putIfAbsent(local.slot, c);
    }
  }

  /**
   * The lockdep class of the lock {@code e} names, as far as the function alone tells: a
   * field's or declared global's class, the class of what a local was given, the class of a
   * primitive's result ({@code pte_lockptr}), of an object that is a lock ({@code PG_locked}),
   * or {@link LockOrder#PARAM} and the name for a parameter, which the caller decides. Null if
   * none is known.
   */
  private String lockClassOf(DesignParser.ExprContext e) {
    e = unwrapLock(e);
    String c = null;
    if (e instanceof DesignParser.FieldExprContext f) {
      FieldAccess fa = fieldAt.get(f);
      if (fa instanceof HostField hf) {
        c = host.lockClassOf(hf);
      } else if (fa instanceof DeclaredVar dv && dv.lockKind() != null) {
        c = dv.lockClass();
      }
    } else if (e instanceof DesignParser.PrimaryExprContext p) {
      if (p.primary() instanceof DesignParser.NameRefContext n) {
        String name = n.name.getText();
        Local l = lookup(name);
        if (l != null && l.slot < fn.paramNames.size() && fn.paramNames.get(l.slot).equals(name)) {
          c = LockOrder.PARAM + name;
        } else if (l != null) {
          c = localClass.get(l.slot);
        } else if (state.global(name) != null && state.global(name).lockKind() != null) {
          c = state.global(name).lockClass();
        }
      } else if (p.primary() instanceof DesignParser.CallContext call) {
        Primitive prim = primAt.get(call);
        c = prim == null ? null : host.resultLockClass(prim.name());
      }
    }
    if (c == null) {
      Type t = typeAt.get(e);
      c = t == null ? null : host.objectLockClass(t);
    }
    return c;
  }

  private static DesignParser.ExprContext unwrapLock(DesignParser.ExprContext e) {
    while (true) {
      if (e instanceof DesignParser.UnaryExprContext u && u.op.getText().equals("&")) {
        e = u.expr();
      } else if (e instanceof DesignParser.PrimaryExprContext p
          && p.primary() instanceof DesignParser.ParensContext par) {
        e = par.expr();
      } else {
        return e;
      }
    }
  }

  @Override
  public Type visitIfStmt(DesignParser.IfStmtContext ctx) {
    statement(ctx);
    condition(ctx.cond);
    CodeBuilder.Label otherwise = new CodeBuilder.Label();
    cb.jump(Op.JZ, otherwise);
    visit(ctx.then);
    if (ctx.other == null) {
      cb.place(otherwise);
      return null;
    }
    CodeBuilder.Label end = new CodeBuilder.Label();
    cb.jump(Op.JMP, end);
    cb.place(otherwise);
    visit(ctx.other);
    cb.place(end);
    return null;
  }

  @Override
  public Type visitWhileStmt(DesignParser.WhileStmtContext ctx) {
    statement(ctx);
    CodeBuilder.Label top = new CodeBuilder.Label();
    CodeBuilder.Label end = new CodeBuilder.Label();
    cb.place(top);
    condition(ctx.cond);
    cb.jump(Op.JZ, end);
    loops.push(new Loop(end, top));
    visit(ctx.body);
    loops.pop();
    cb.jump(Op.JMP, top);
    cb.place(end);
    return null;
  }

  @Override
  public Type visitForStmt(DesignParser.ForStmtContext ctx) {
    statement(ctx);
    scopes.push(new HashMap<>());
    CodeBuilder.Label top = new CodeBuilder.Label();
    CodeBuilder.Label next = new CodeBuilder.Label();
    CodeBuilder.Label end = new CodeBuilder.Label();
    List<DesignParser.ExprContext> range = rangeArgs(ctx.source);
    if (range != null) {
      // for i in range(a, b): a counter and a bound in hidden slots, no cursor object.
      requireInt(expr(range.get(0)), range.get(0), "range start");
      int counter = nextSlot++;
      cb.emit(-1, Op.LSTORE, counter);
      requireInt(expr(range.get(1)), range.get(1), "range end");
      int bound = nextSlot++;
      cb.emit(-1, Op.LSTORE, bound);
      Local var = declare(ctx.var, Type.INT);
      cb.place(top);
      cb.emit(1, Op.LLOAD, counter);
      cb.emit(1, Op.LLOAD, bound);
      cb.emit(-1, Op.LT);
      cb.jump(Op.JZ, end);
      cb.emit(1, Op.LLOAD, counter);
      cb.emit(-1, Op.LSTORE, var.slot);
      body(ctx.body, end, next);
      cb.place(next);
      cb.emit(1, Op.LLOAD, counter);
      cb.emit(1, Op.ICONST, 1);
      cb.emit(-1, Op.ADD);
      cb.emit(-1, Op.LSTORE, counter);
      cb.jump(Op.JMP, top);
    } else {
      Type source = expr(ctx.source);
      Type element = Type.ERROR;
      if (source.kind() == Type.Kind.CURSOR) {
        element = source.element();
      } else if (source != Type.ERROR) {
        diags.error(src, ctx.source.start, "'for " + ctx.var.getText()
            + " in' needs a cursor such as range(a, b), found " + source.declaration());
      }
      int cursor = nextSlot++;
      cb.emit(-1, Op.ASTORE, cursor);
      Local var = declare(ctx.var, element);
      cb.place(top);
      cb.place(next);
      cb.emit(1, Op.NEXT, cursor, PrimSite.kindOf(element), -1);
      cb.patchHere(cb.size() - 1, end);
      store(var);
      body(ctx.body, end, next);
      cb.jump(Op.JMP, top);
    }
    cb.place(end);
    scopes.pop();
    return null;
  }

  private void body(DesignParser.BlockContext body, CodeBuilder.Label end,
      CodeBuilder.Label next) {
    loops.push(new Loop(end, next));
    visit(body);
    loops.pop();
  }

  /** The two arguments of {@code range(a, b)} if {@code e} is a call of the core range. */
  private List<DesignParser.ExprContext> rangeArgs(DesignParser.ExprContext e) {
    if (!(e instanceof DesignParser.PrimaryExprContext p)
        || !(p.primary() instanceof DesignParser.CallContext call)
        || !call.name.getText().equals("range") || call.args() == null
        || call.args().expr().size() != 2) {
      return null;
    }
    for (Primitive prim : host.primitives("range")) {
      if (prim.returns().name().equals("range_cursor")) {
        return call.args().expr();
      }
    }
    return null;
  }

  @Override
  public Type visitReturnStmt(DesignParser.ReturnStmtContext ctx) {
    statement(ctx);
    Type want = fn.returnType;
    if (ctx.value == null) {
      if (want.kind() != Type.Kind.VOID && want != Type.ERROR) {
        diags.error(src, ctx.start, "'" + fn.name + "' must return a value of type "
            + want.declaration());
      }
      cb.emit(0, Op.RET);
      return null;
    }
    Type v = expr(ctx.value);
    if (want.kind() == Type.Kind.VOID) {
      diags.error(src, ctx.value.start, "'" + fn.name + "' returns void; return takes no value"
          + " here");
      cb.emit(0, Op.RET);
      return null;
    }
    if (!want.accepts(v)) {
      diags.error(src, ctx.value.start, "'" + fn.name + "' returns " + want.declaration()
          + ", not " + v.declaration());
    }
    cb.emit(-1, want.isScalar() ? Op.LRET : Op.ARET);
    return null;
  }

  @Override
  public Type visitBreakStmt(DesignParser.BreakStmtContext ctx) {
    statement(ctx);
    if (loops.isEmpty()) {
      diags.error(src, ctx.start, "break outside a loop");
    } else {
      cb.jump(Op.JMP, loops.peek().breakTo);
    }
    return null;
  }

  @Override
  public Type visitContinueStmt(DesignParser.ContinueStmtContext ctx) {
    statement(ctx);
    if (loops.isEmpty()) {
      diags.error(src, ctx.start, "continue outside a loop");
    } else {
      cb.jump(Op.JMP, loops.peek().continueTo);
    }
    return null;
  }

  @Override
  public Type visitExprStmt(DesignParser.ExprStmtContext ctx) {
    statement(ctx);
    if (ctx.value != null) {
      assign(ctx);
      return null;
    }
    Type t = expr(ctx.target);
    if (t.isScalar()) {
      cb.emit(-1, Op.POP);
    } else if (t.kind() != Type.Kind.VOID && t != Type.ERROR) {
      cb.emit(-1, Op.APOP);
    }
    return null;
  }

  private void assign(DesignParser.ExprStmtContext ctx) {
    assignTo(unwrap(ctx.target), ctx.value, ctx.target.start);
  }

  /** Compiles {@code target = value}; {@code at} is where an unassignable target is named. */
  private void assignTo(DesignParser.ExprContext target, DesignParser.ExprContext value,
      Token at) {
    if (target instanceof DesignParser.PrimaryExprContext p
        && p.primary() instanceof DesignParser.NameRefContext n) {
      String name = n.name.getText();
      Local local = lookup(name);
      DeclaredVar global = local == null ? state.global(name) : null;
      if (global != null) {
        Type v = expr(value);
        if (!global.writable()) {
          diags.error(src, n.name, "cannot assign to '" + name + "': it is a "
              + global.type().name() + "; use its primitives");
        } else if (!global.type().accepts(v)) {
          diags.error(src, value.start, "cannot assign a " + v.declaration() + " to '"
              + name + "' of type " + global.type().declaration());
        }
        cb.emit(-1, Op.DPUTG, cb.constant(global));
        return;
      }
      if (local == null) {
        if (host.constantValue(name) != null || host.globalNamed(name) != null
            || state.enumerator(name) != null) {
          diags.error(src, n.name, "cannot assign to '" + name + "': it is a read-only "
              + (host.globalNamed(name) == null ? "constant" : "global"));
        } else {
          diags.error(src, n.name, "unknown variable '" + name + "'"
              + Suggest.didYouMean(name, visibleNames()));
        }
        expr(value);
        return;
      }
      Type v = expr(value);
      if (!local.type.accepts(v)) {
        diags.error(src, value.start, "cannot assign a " + v.declaration() + " to '" + name
            + "' of type " + local.type.declaration());
      }
      store(local);
      noteLocalClass(local, value);
      return;
    }
    if (target instanceof DesignParser.FieldExprContext f) {
      Type owner = expr(f.expr());
      FieldAccess field = field(owner, f);
      Type v = expr(value);
      if (field == null) {
        return;
      }
      if (!field.writable()) {
        diags.error(src, f.field, "field '" + field.name() + "' of struct " + owner.name()
            + (field instanceof HostField ? " is read-only"
                : " is a " + field.type().name() + "; use its primitives"));
      } else if (!field.type().accepts(v)) {
        diags.error(src, value.start, "cannot assign a " + v.declaration() + " to field '"
            + field.name() + "' of type " + field.type().declaration());
      }
      cb.emit(-2, Op.PUTF, cb.constant(field));
      return;
    }
    diags.error(src, at, "cannot assign to '" + src.textOf(target)
        + "'; expected a variable or a field");
  }

  // ---- expressions -------------------------------------------------------------------------

  private Type expr(DesignParser.ExprContext e) {
    Type t = visit(e);
    t = t == null ? Type.ERROR : t;
    typeAt.put(e, t);
    return t;
  }

  @Override
  public Type visitPrimaryExpr(DesignParser.PrimaryExprContext ctx) {
    return visit(ctx.primary());
  }

  @Override
  public Type visitParens(DesignParser.ParensContext ctx) {
    return expr(ctx.expr());
  }

  @Override
  public Type visitNumberLit(DesignParser.NumberLitContext ctx) {
    try {
      cb.pushLong(Literals.parse(ctx.getText()));
    } catch (NumberFormatException e) {
      diags.error(src, ctx.start, e.getMessage());
      cb.pushLong(0);
    }
    return Type.INT;
  }

  @Override
  public Type visitBoolLit(DesignParser.BoolLitContext ctx) {
    cb.emit(1, Op.ICONST, ctx.TRUE() != null ? 1 : 0);
    return Type.BOOL;
  }

  @Override
  public Type visitNullLit(DesignParser.NullLitContext ctx) {
    cb.emit(1, Op.ANULL);
    return Type.NULL;
  }

  @Override
  public Type visitNameRef(DesignParser.NameRefContext ctx) {
    String name = ctx.name.getText();
    Local local = lookup(name);
    if (local != null) {
      cb.emit(1, local.type.isScalar() ? Op.LLOAD : Op.ALOAD, local.slot);
      return local.type;
    }
    DeclaredVar declared = state.global(name);
    if (declared != null) {
      cb.emit(1, Op.DGLOBAL, cb.constant(declared));
      return declared.type();
    }
    Long constant = host.constantValue(name);
    if (constant == null) {
      constant = state.enumerator(name);
    }
    if (constant != null) {
      cb.pushLong(constant);
      return Type.INT;
    }
    HostGlobal global = host.globalNamed(name);
    if (global != null) {
      cb.emit(1, Op.GLOBAL, cb.constant(global));
      return global.type();
    }
    if (table.containsKey(name) || !host.primitives(name).isEmpty()) {
      diags.error(src, ctx.name, "'" + name + "' is a function; call it as " + name + "(...)");
    } else {
      diags.error(src, ctx.name, "unknown variable '" + name + "'"
          + Suggest.didYouMean(name, visibleNames()));
    }
    cb.emit(1, Op.ICONST, 0);
    return Type.ERROR;
  }

  @Override
  public Type visitFieldExpr(DesignParser.FieldExprContext ctx) {
    Type owner = expr(ctx.expr());
    FieldAccess f = field(owner, ctx);
    if (f == null) {
      return Type.ERROR;
    }
    fieldAt.put(ctx, f);
    cb.emit(0, Op.GETF, cb.constant(f));
    return f.type();
  }

  /** The field {@code ctx} names on {@code owner}, or null after reporting why not. */
  private FieldAccess field(Type owner, DesignParser.FieldExprContext ctx) {
    String name = ctx.field.getText();
    if (owner == Type.ERROR) {
      return null;
    }
    if (owner.kind() != Type.Kind.HOST) {
      diags.error(src, ctx.field, "'" + ctx.op.getText() + name + "' needs a struct, found "
          + owner.declaration());
      return null;
    }
    HostField f = host.fieldOf(owner, name);
    if (f != null) {
      fn.fieldUses.add(new FunctionDecl.FieldUse(f, ctx.field));
      return f;
    }
    DeclaredVar d = state.field(owner, name);
    if (d != null) {
      return d;
    }
    Set<String> names = new LinkedHashSet<>(host.fieldNames(owner));
    names.addAll(state.fieldNames(owner));
    String suggestion = Suggest.didYouMean(name, names);
    diags.error(src, ctx.field, "struct " + owner.name() + " has no field '" + name + "'"
        + (!suggestion.isEmpty() || host.extensibleStruct(owner.name()) == null ? suggestion
            : "; a design adds one with struct " + owner.name() + " { TYPE " + name + "; };"));
    return null;
  }

  /**
   * "Did you mean" for an unknown function, naming the kernel call a wrapper stands for
   * ({@code mmap_read_lock (down_read(&mm->mmap_lock))}); for the name of a lock field
   * ({@code mmap_lock(mm)}), the wrappers and calls that take it.
   */
  private String unknownFunctionHint(String name, Set<String> names) {
    Set<String> takers = new LinkedHashSet<>();
    for (String p : host.primitiveNames()) {
      for (Primitive prim : host.primitives(p)) {
        for (Primitive.LockEffect e : prim.lockEffects()) {
          if (name.equals(e.field()) && e.action() == Primitive.LockAction.ACQUIRE
              && prim.wraps() != null) {
            takers.add(p + " (" + prim.wraps() + ")");
          }
        }
      }
    }
    if (!takers.isEmpty()) {
      return "; '" + name + "' is a lock field, taken with " + String.join(" or ", takers);
    }
    String c = Suggest.closest(name, names);
    if (c == null) {
      return "";
    }
    List<Primitive> ps = host.primitives(c);
    String wraps = ps.isEmpty() || table.containsKey(c) ? null : ps.get(0).wraps();
    return "; did you mean '" + c + "'" + (wraps == null ? "" : " (" + wraps + ")") + "?";
  }

  @Override
  public Type visitUnaryExpr(DesignParser.UnaryExprContext ctx) {
    String op = ctx.op.getText();
    if (op.equals("&")) {
      DesignParser.ExprContext inner = unwrap(ctx.expr());
      boolean lvalue = inner instanceof DesignParser.FieldExprContext
          || (inner instanceof DesignParser.PrimaryExprContext p
              && p.primary() instanceof DesignParser.NameRefContext);
      Type t = expr(ctx.expr());
      if (!lvalue) {
        diags.error(src, ctx.op, "'&' must be followed by a variable or a field");
        return Type.ERROR;
      }
      return t;
    }
    Type t = expr(ctx.expr());
    switch (op) {
      case "!" -> {
        conditionType(t, ctx.expr(), "operand of '!'");
        cb.emit(0, Op.LNOT);
        return Type.BOOL;
      }
      case "~" -> {
        requireInt(t, ctx.expr(), "operand of '~'");
        cb.emit(0, Op.BNOT);
        return Type.INT;
      }
      default -> {
        requireInt(t, ctx.expr(), "operand of '-'");
        cb.emit(0, Op.NEG);
        return Type.INT;
      }
    }
  }

  @Override
  public Type visitBinaryExpr(DesignParser.BinaryExprContext ctx) {
    Type a = expr(ctx.expr(0));
    Type b = expr(ctx.expr(1));
    String op = ctx.op.getText();
    switch (op) {
      case "==", "!=" -> {
        return equality(a, b, op, ctx);
      }
      case "<", "<=", ">", ">=" -> {
        binaryInts(a, b, op, ctx);
        cb.emit(-1, switch (op) {
          case "<" -> Op.LT;
          case "<=" -> Op.LE;
          case ">" -> Op.GT;
          default -> Op.GE;
        });
        return Type.BOOL;
      }
      case "&", "|", "^" -> {
        int code = op.equals("&") ? Op.AND : op.equals("|") ? Op.OR : Op.XOR;
        if (a.kind() == Type.Kind.BOOL && b.kind() == Type.Kind.BOOL) {
          cb.emit(-1, code);
          return Type.BOOL;
        }
        binaryInts(a, b, op, ctx);
        cb.emit(-1, code);
        return Type.INT;
      }
      default -> {
        binaryInts(a, b, op, ctx);
        cb.emit(-1, switch (op) {
          case "+" -> Op.ADD;
          case "-" -> Op.SUB;
          case "*" -> Op.MUL;
          case "/" -> Op.DIV;
          case "%" -> Op.REM;
          case "<<" -> Op.SHL;
          default -> Op.SHR;
        });
        return Type.INT;
      }
    }
  }

  private Type equality(Type a, Type b, String op, DesignParser.BinaryExprContext ctx) {
    boolean eq = op.equals("==");
    if (a == Type.ERROR || b == Type.ERROR) {
      cb.emit(-1, Op.EQ);
      return Type.BOOL;
    }
    if (a.isScalar() && a == b) {
      cb.emit(-1, eq ? Op.EQ : Op.NE);
      return Type.BOOL;
    }
    if (a.isReference() && b.isReference() && (a.accepts(b) || b.accepts(a))) {
      cb.emit(-1, eq ? Op.AEQ : Op.ANE);
      return Type.BOOL;
    }
    diags.error(src, ctx.op, "cannot compare " + a.declaration() + " with " + b.declaration()
        + " using '" + op + "'");
    cb.emit(-1, Op.EQ);
    return Type.BOOL;
  }

  private void binaryInts(Type a, Type b, String op, DesignParser.BinaryExprContext ctx) {
    if (a == Type.ERROR || b == Type.ERROR
        || (a.kind() == Type.Kind.INT && b.kind() == Type.Kind.INT)) {
      return;
    }
    diags.error(src, ctx.op, "operator '" + op + "' needs int operands, found "
        + a.declaration() + " and " + b.declaration());
  }

  @Override
  public Type visitLogicalExpr(DesignParser.LogicalExprContext ctx) {
    boolean and = ctx.op.getText().equals("&&");
    CodeBuilder.Label shortCircuit = new CodeBuilder.Label();
    CodeBuilder.Label end = new CodeBuilder.Label();
    int jump = and ? Op.JZ : Op.JNZ;
    conditionType(expr(ctx.expr(0)), ctx.expr(0), "operand of '" + ctx.op.getText() + "'");
    cb.jump(jump, shortCircuit);
    conditionType(expr(ctx.expr(1)), ctx.expr(1), "operand of '" + ctx.op.getText() + "'");
    cb.jump(jump, shortCircuit);
    cb.emit(1, Op.ICONST, and ? 1 : 0);
    cb.jump(Op.JMP, end);
    cb.place(shortCircuit);
    cb.emit(0, Op.ICONST, and ? 0 : 1);
    cb.place(end);
    return Type.BOOL;
  }

  // ---- calls -------------------------------------------------------------------------------

  @Override
  public Type visitCall(DesignParser.CallContext ctx) {
    String name = ctx.name.getText();
    List<DesignParser.ExprContext> args =
        ctx.args() == null ? List.of() : ctx.args().expr();
    if (name.equals("wait_event")) {
      return waitEvent(ctx, args);
    }
    if (name.equals("READ_ONCE") || name.equals("WRITE_ONCE")) {
      return onceAccess(ctx, args);
    }
    FunctionDecl target = table.get(name);
    if (target != null) {
      return callDesign(target, ctx.name, args);
    }
    List<Primitive> prims = host.primitives(name);
    if (!prims.isEmpty()) {
      return callPrimitive(prims, ctx, args);
    }
    if (lookup(name) != null) {
      diags.error(src, ctx.name, "'" + name + "' is a variable, not a function");
    } else {
      Set<String> names = new LinkedHashSet<>(table.keySet());
      names.addAll(host.primitiveNames());
      diags.error(src, ctx.name, "unknown function '" + name + "'" + unknownFunctionHint(name,
          names));
    }
    for (DesignParser.ExprContext a : args) {
      expr(a);
    }
    return Type.ERROR;
  }

  @Override
  public Type visitSuperCall(DesignParser.SuperCallContext ctx) {
    String name = ctx.name.getText();
    List<DesignParser.ExprContext> args =
        ctx.args() == null ? List.of() : ctx.args().expr();
    FunctionDecl target = fn.level.inAncestors(name);
    if (target == null) {
      diags.error(src, ctx.name, fn.level.parent == null
          ? "super." + name + ": design " + fn.level.name + " extends no design"
          : "super." + name + ": no parent design of " + fn.level.name + " defines '" + name
              + "'");
      for (DesignParser.ExprContext a : args) {
        expr(a);
      }
      return Type.ERROR;
    }
    return callDesign(target, ctx.name, args);
  }

  private Type callDesign(FunctionDecl target, Token name,
      List<DesignParser.ExprContext> args) {
    List<Type> types = compileArgs(args);
    List<String> classes = new ArrayList<>();
    for (DesignParser.ExprContext a : args) {
      classes.add(lockClassOf(a));
    }
    fn.argClasses.put(name, classes);
    if (types.size() != target.paramTypes.size()) {
      diags.error(src, name, arity(target.name, target.paramTypes.size(), types.size()));
    } else {
      checkArgs(target.name, target.paramTypes, types, args);
    }
    int delta = (target.returnType.kind() == Type.Kind.VOID ? 0 : 1) - types.size();
    cb.emit(delta, Op.CALL, cb.constant(target.code));
    return target.returnType;
  }

  private Type callPrimitive(List<Primitive> overloads, DesignParser.CallContext ctx,
      List<DesignParser.ExprContext> args) {
    String name = ctx.name.getText();
    int mark = cb.size();
    int depthAtMark = cb.depth();
    List<Type> types = compileArgs(args);
    Primitive chosen = null;
    List<Primitive> sameArity = new ArrayList<>();
    for (Primitive p : overloads) {
      if (p.params().size() == types.size()) {
        sameArity.add(p);
      }
    }
    if (sameArity.isEmpty()) {
      diags.error(src, ctx.name, overloads.size() == 1
          ? arity(name, overloads.get(0).params().size(), types.size())
          : "no " + name + " takes " + types.size() + " argument" + plural(types.size())
              + "; expected " + alternatives(overloads));
      chosen = overloads.get(0);
    } else if (sameArity.size() == 1) {
      chosen = sameArity.get(0);
      checkArgs(name, chosen.params(), types, args);
    } else {
      for (Primitive p : sameArity) {
        if (acceptsAll(p.params(), types)) {
          chosen = p;
          break;
        }
      }
      if (chosen == null) {
        diags.error(src, ctx.name, "no " + name + "(" + typeList(types) + "); expected "
            + alternatives(sameArity));
        chosen = sameArity.get(0);
      }
    }
    primAt.put(ctx, chosen);
    List<String> classes = new ArrayList<>();
    for (Primitive.LockEffect e : chosen.lockEffects()) {
      String c = null;
      // A context lock (an RCU read-side section) orders no other lock: no class here.
      if (!e.onContext() && e.arg() < args.size()) {
        c = e.field() == null ? lockClassOf(args.get(e.arg())) : null;
        if (c == null) {
          c = src.textOf(unwrapLock(args.get(e.arg())))
              + (e.field() == null ? "" : "->" + e.field());
        }
      }
      if (!e.onContext() && e.field() != null && e.arg() < types.size()) {
        HostField lf = host.fieldOf(chosen.params().get(e.arg()), e.field());
        String fc = lf == null ? null : host.lockClassOf(lf);
        c = fc != null ? fc : c;
      }
      classes.add(c);
    }
    fn.lockSites.put(ctx, classes);
    for (Primitive.LockEffect e : chosen.lockEffects()) {
      if (!e.onContext() && e.field() != null && e.arg() < types.size()) {
        HostField f = host.fieldOf(chosen.params().get(e.arg()), e.field());
        if (f != null) {
          fn.fieldUses.add(new FunctionDecl.FieldUse(f, ctx.name));
        }
      }
    }
    Object folded = fold(chosen, ctx, args);
    if (folded != null) {
      cb.truncate(mark, depthAtMark);
      cb.emit(1, Op.ACONST, cb.constant(folded));
      return chosen.returns();
    }
    String location = src.label() + ":" + ctx.name.getLine() + ":"
        + (ctx.name.getCharPositionInLine() + 1);
    int delta = (chosen.returns().kind() == Type.Kind.VOID ? 0 : 1) - types.size();
    cb.emit(delta, Op.PRIM, cb.constant(new PrimSite(chosen, location)));
    return chosen.returns();
  }

  /** A distribution built from constants once, at load time (and checked then). */
  private Object fold(Primitive p, DesignParser.CallContext ctx,
      List<DesignParser.ExprContext> args) {
    if (!p.foldable() || args.size() != p.params().size()) {
      return null;
    }
    Object[] values = new Object[args.size()];
    for (int i = 0; i < values.length; i++) {
      Long v = ConstEval.eval(args.get(i), host, name -> lookup(name) != null);
      if (v == null) {
        return null;
      }
      values[i] = v;
    }
    try {
      return p.impl().call(null, null, values);
    } catch (IllegalArgumentException e) {
      diags.error(src, ctx.name, src.textOf(ctx) + ": " + e.getMessage());
      return null;
    }
  }

  /**
   * {@code READ_ONCE(x)} is {@code x}; {@code WRITE_ONCE(x, v)} is {@code x = v}: in the
   * simulation every access is a single access already, so the forms cost nothing and exist so
   * that a design reads as its kernel code.
   */
  private Type onceAccess(DesignParser.CallContext ctx, List<DesignParser.ExprContext> args) {
    String name = ctx.name.getText();
    int want = name.equals("READ_ONCE") ? 1 : 2;
    if (args.size() != want) {
      diags.error(src, ctx.name, arity(name, want, args.size()));
      for (DesignParser.ExprContext a : args) {
        expr(a);
      }
      return Type.ERROR;
    }
    DesignParser.ExprContext target = unwrap(args.get(0));
    boolean lvalue = target instanceof DesignParser.FieldExprContext
        || (target instanceof DesignParser.PrimaryExprContext p
            && p.primary() instanceof DesignParser.NameRefContext);
    if (!lvalue) {
      diags.error(src, args.get(0).start, "argument 1 of " + name
          + ": expected a variable or a field");
    }
    if (want == 1) {
      return expr(args.get(0));
    }
    if (lvalue) {
      assignTo(target, args.get(1), ctx.start);
    }
    return Type.VOID;
  }

  private Type waitEvent(DesignParser.CallContext ctx, List<DesignParser.ExprContext> args) {
    if (args.size() != 2) {
      diags.error(src, ctx.name, "wait_event takes 2 arguments (a wait queue and a condition),"
          + " found " + args.size());
      for (DesignParser.ExprContext a : args) {
        expr(a);
      }
      return Type.VOID;
    }
    Type q = expr(args.get(0));
    if (q != Type.ERROR && q.javaClass() != WaitQueue.class) {
      diags.error(src, args.get(0).start, "argument 1 of wait_event: expected a"
          + " struct wait_queue_head *, found " + q.declaration());
    }
    int queue = nextSlot++;
    cb.emit(-1, Op.ASTORE, queue);
    // Re-evaluate the condition after every wake-up; sleep while it is false.
    CodeBuilder.Label check = new CodeBuilder.Label();
    CodeBuilder.Label done = new CodeBuilder.Label();
    cb.place(check);
    conditionType(expr(args.get(1)), args.get(1), "condition of wait_event");
    cb.jump(Op.JNZ, done);
    cb.emit(1, Op.ALOAD, queue);
    String location = src.label() + ":" + ctx.name.getLine() + ":"
        + (ctx.name.getCharPositionInLine() + 1);
    cb.emit(-1, Op.WAITQ, cb.constant(location));
    cb.jump(Op.JMP, check);
    cb.place(done);
    return Type.VOID;
  }

  private List<Type> compileArgs(List<DesignParser.ExprContext> args) {
    List<Type> types = new ArrayList<>(args.size());
    for (DesignParser.ExprContext a : args) {
      types.add(expr(a));
    }
    return types;
  }

  private void checkArgs(String name, List<Type> params, List<Type> types,
      List<DesignParser.ExprContext> args) {
    for (int i = 0; i < types.size(); i++) {
      Type want = params.get(i);
      Type got = types.get(i);
      if (got.kind() == Type.Kind.VOID) {
        diags.error(src, args.get(i).start, "argument " + (i + 1) + " of " + name
            + " has no value (void)");
      } else if (!want.accepts(got)) {
        diags.error(src, args.get(i).start, "argument " + (i + 1) + " of " + name
            + ": expected " + want.declaration() + ", found " + got.declaration());
      }
    }
  }

  private static boolean acceptsAll(List<Type> params, List<Type> types) {
    for (int i = 0; i < types.size(); i++) {
      if (!params.get(i).accepts(types.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String arity(String name, int want, int got) {
    return name + " takes " + want + " argument" + plural(want) + ", found " + got;
  }

  private static String plural(int n) {
    return n == 1 ? "" : "s";
  }

  private static String alternatives(List<Primitive> ps) {
    List<String> sigs = new ArrayList<>();
    for (Primitive p : ps) {
      sigs.add(p.signature());
    }
    return String.join(" or ", sigs);
  }

  private static String typeList(List<Type> types) {
    List<String> names = new ArrayList<>();
    for (Type t : types) {
      names.add(t.name());
    }
    return String.join(", ", names);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private void condition(DesignParser.ExprContext e) {
    conditionType(expr(e), e, "condition");
  }

  private void conditionType(Type t, DesignParser.ExprContext e, String what) {
    if (t.isScalar() || t == Type.ERROR) {
      return;
    }
    diags.error(src, e.start, what + " must be bool or int, found " + t.declaration()
        + (t.isReference() ? " (compare it with NULL)" : ""));
  }

  private void requireInt(Type t, DesignParser.ExprContext e, String what) {
    if (t.kind() != Type.Kind.INT && t != Type.ERROR) {
      diags.error(src, e.start, what + " must be int, found " + t.declaration());
    }
  }

  private static DesignParser.ExprContext unwrap(DesignParser.ExprContext e) {
    while (e instanceof DesignParser.PrimaryExprContext p
        && p.primary() instanceof DesignParser.ParensContext par) {
      e = par.expr();
    }
    return e;
  }

  private Local lookup(String name) {
    for (Map<String, Local> scope : scopes) {
      Local l = scope.get(name);
      if (l != null) {
        return l;
      }
    }
    return null;
  }

  private Local declare(Token name, Type type) {
    String n = name.getText();
    Local existing = lookup(n);
    if (existing != null) {
      boolean param = existing.slot < fn.paramNames.size()
          && fn.paramNames.get(existing.slot).equals(n);
      diags.error(src, name, param
          ? "'" + n + "' is already a parameter of '" + fn.name + "'"
          : "duplicate local '" + n + "'");
    }
    Local l = new Local(nextSlot++, type);
    scopes.peek().put(n, l);
    return l;
  }

  private void store(Local l) {
    cb.emit(-1, l.type.isScalar() ? Op.LSTORE : Op.ASTORE, l.slot);
  }

  private Set<String> visibleNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Map<String, Local> s : scopes) {
      names.addAll(s.keySet());
    }
    names.addAll(state.valueNames());
    names.addAll(host.valueNames());
    return names;
  }
}
