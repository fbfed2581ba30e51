package dev.lancet.spark.views;

import dev.lancet.spark.functions.FunctionCode;
import dev.lancet.spark.functions.FunctionScope;
import dev.lancet.spark.functions.SkippedRows;
import dev.lancet.spark.functions.TableFunctions;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedRelation;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.LateralSubquery;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LateralJoin;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.execution.datasources.v2.DataSourceV2Relation;
import org.lance.spark.LanceDataset;
import scala.collection.JavaConverters;

/**
 * A materialized view's query, checked and made incremental: a projection and filter of one Lance
 * table, with 1:N UDFs over its rows ({@code LATERAL lancet_explode(...)}) and the source's own
 * virtual columns, nothing that mixes rows (no joins, aggregates, windows, sorts, limits, distinct
 * or unions). Each derived row carries its source row's address ({@link #SOURCE_ROW}), and the
 * query can be restricted to source fragments, so a refresh computes only what changed.
 */
final class ViewQuery {
  /** The view's column holding each derived row's source row address. */
  static final String SOURCE_ROW = "_source_row";

  private static final Set<String> MIXING =
      Set.of(
          "Aggregate",
          "Join",
          "Window",
          "Sort",
          "GlobalLimit",
          "LocalLimit",
          "Limit",
          "Offset",
          "Distinct",
          "Deduplicate",
          "Union",
          "Intersect",
          "Except",
          "Expand",
          "Sample",
          "Tail",
          "WithCTE",
          "Pivot",
          "Unpivot");

  private final SparkSession spark;
  private final String sql;
  private final Project top;
  private final List<String> sourceName;
  private final String sourceAlias;
  private final String partitionBy;
  private final FunctionScope scope;

  private ViewQuery(
      SparkSession spark,
      String sql,
      Project top,
      List<String> sourceName,
      String sourceAlias,
      String partitionBy,
      FunctionScope scope) {
    this.spark = spark;
    this.sql = sql;
    this.top = top;
    this.sourceName = sourceName;
    this.sourceAlias = sourceAlias;
    this.partitionBy = partitionBy;
    this.scope = scope;
  }

  /**
   * The same query, its 1:N UDFs loading from {@code code} (null: the session's class loader) and
   * their failing rows skipped into {@code sink} rather than failing it (each call then passes its
   * source row's address), or not when {@code sink} is null.
   */
  ViewQuery in(FunctionCode code, SkippedRows sink) {
    return new ViewQuery(
        spark, sql, top, sourceName, sourceAlias, partitionBy, new FunctionScope(code, sink));
  }

  /** {@code plan} analyzed, its table functions loading from the view's pinned code. */
  private Dataset<Row> analyzed(LogicalPlan plan) {
    return scope.during(() -> Dataset.ofRows(spark, plan));
  }

  /**
   * Runs a write of this query's rows ({@code writeTo(...)}, which analyzes the query again from
   * its parsed plan) inside the same scopes as its analyses.
   */
  void write(FunctionScope.Action write) throws Exception {
    scope.run(write);
  }

  /**
   * {@code child} with each table function call given the source row's address ({@code row}, an
   * expression of the query's source) as a last argument, which the function takes as the address
   * of the rows it skips; {@code child} itself without a sink.
   */
  private LogicalPlan withAddresses(LogicalPlan child, String row) {
    if (scope.skipped() == null) {
      return child;
    }
    Expression marker =
        expression("named_struct('" + SkippedRows.ADDRESS_ARGUMENT + "', " + row + ")");
    return child.transformUpWithSubqueries(
        new scala.runtime.AbstractPartialFunction<LogicalPlan, LogicalPlan>() {
          @Override
          public boolean isDefinedAt(LogicalPlan p) {
            return p
                instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction;
          }

          @Override
          public LogicalPlan apply(LogicalPlan p) {
            var f = (org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction) p;
            List<Expression> args = new ArrayList<>(JavaConverters.seqAsJavaList(f.functionArgs()));
            args.add(marker);
            return new org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction(
                f.name(), JavaConverters.asScalaBuffer(args).toSeq());
          }
        });
  }

  /**
   * The query of {@code CREATE MATERIALIZED VIEW v [PARTITION BY (key)] AS <sql>}, checked; fails
   * in one line. {@code partitionBy} (or null) is a column of the source and of the view that
   * groups rows: with it the query may aggregate groups of source rows (an N:M UDF over {@code
   * collect_list}), and a group is computed again when any of its rows changes.
   */
  static ViewQuery parse(
      SparkSession spark, String viewName, String sql, String partitionBy, FunctionCode code) {
    return parse(spark, viewName, sql, partitionBy, code, true);
  }

  /**
   * The query of a view that exists, parsed and its shape checked, but not analyzed: {@link
   * #checkAgainst} does that once the source's schema is known.
   */
  static ViewQuery parseUnchecked(
      SparkSession spark, String viewName, String sql, String partitionBy, FunctionCode code) {
    return parse(spark, viewName, sql, partitionBy, code, false);
  }

  private static ViewQuery parse(
      SparkSession spark,
      String viewName,
      String sql,
      String partitionBy,
      FunctionCode code,
      boolean checkNow) {
    LogicalPlan parsed = parsed(spark, viewName, sql);
    if (!(parsed instanceof Project project)) {
      String top = parsed.getClass().getSimpleName();
      if (MIXING.contains(top)) {
        throw mixes(viewName, List.of(parsed.nodeName()));
      }
      throw refused(
          viewName,
          "its query must be a SELECT of columns and expressions of one table (with LATERAL 1:N"
              + " UDFs and a WHERE), found "
              + parsed.nodeName());
    }
    List<UnresolvedRelation> relations = new ArrayList<>();
    List<String> aliases = new ArrayList<>();
    collect(project, relations, aliases, null);
    if (relations.size() != 1) {
      throw refused(
          viewName,
          "its query must read exactly one table, found "
              + relations.size()
              + (relations.isEmpty()
                  ? ""
                  : " ("
                      + relations.stream()
                          .map(
                              r ->
                                  String.join(
                                      ".", JavaConverters.seqAsJavaList(r.multipartIdentifier())))
                          .collect(Collectors.joining(", "))
                      + ")")
              + ": joins are not supported in a materialized view");
    }
    List<String> name = JavaConverters.seqAsJavaList(relations.get(0).multipartIdentifier());
    ViewQuery query =
        new ViewQuery(
            spark, sql, project, name, aliases.get(0), partitionBy, new FunctionScope(code, null));
    if (checkNow) {
      query.check(viewName);
    }
    return query;
  }

  /**
   * Checks the query as {@link #parse} does, unless it passed against the same source schema
   * ({@code sourceSchema}) in this JVM already: its text does not change, so only its source can
   * make it fail, and the analysis is a steady refresh's largest cost on the driver after Spark's
   * write (10-20 ms).
   */
  void checkAgainst(String viewName, String viewUri, String sourceSchema) {
    String key = String.join("\n", viewUri, sql, String.valueOf(partitionBy), sourceSchema);
    if (CHECKED.contains(key)) {
      return;
    }
    check(viewName);
    if (CHECKED.size() >= 256) {
      CHECKED.clear(); // bounded: a long-lived session refreshing many views checks again
    }
    CHECKED.add(key);
  }

  private static final Set<String> CHECKED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static LogicalPlan parsed(SparkSession spark, String viewName, String sql) {
    try {
      return spark.sessionState().sqlParser().parsePlan(sql);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException | RuntimeException e) {
      throw refused(viewName, "its query does not parse: " + firstLine(e.getMessage()));
    }
  }

  /**
   * The classes of the Lancet 1:N UDFs the query {@code sql} calls ({@code lancet_explode}'s first
   * argument, or what a short name of {@code spark}'s session stands for), read from its text
   * before it is analyzed, so their code can be pinned first.
   */
  static Set<String> functionClasses(SparkSession spark, String viewName, String sql) {
    List<org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction> calls =
        new ArrayList<>();
    functions(parsed(spark, viewName, sql), calls);
    Set<String> out = new java.util.TreeSet<>();
    for (var f : calls) {
      List<String> name = JavaConverters.seqAsJavaList(f.name());
      String last = name.get(name.size() - 1);
      List<Expression> args = JavaConverters.seqAsJavaList(f.functionArgs());
      if (last.equalsIgnoreCase(dev.lancet.spark.functions.ExplodeFunction.NAME)) {
        if (!args.isEmpty()
            && args.get(0) instanceof org.apache.spark.sql.catalyst.expressions.Literal l
            && l.value() != null) {
          out.add(l.value().toString());
        }
      } else {
        TableFunctions.definitionOf(spark, last).ifPresent(d -> out.add(d.className()));
      }
    }
    return out;
  }

  /** The table functions the query names ({@code LATERAL f(...)}), by their last name part. */
  List<String> functionNames() {
    List<org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction> calls =
        new ArrayList<>();
    functions(top, calls);
    List<String> out = new ArrayList<>();
    for (var f : calls) {
      List<String> name = JavaConverters.seqAsJavaList(f.name());
      out.add(name.get(name.size() - 1));
    }
    return out;
  }

  private static void functions(
      LogicalPlan plan,
      List<org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction> out) {
    if (plan instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedTableValuedFunction f) {
      out.add(f);
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      functions(child, out);
    }
    for (Expression e : JavaConverters.seqAsJavaList(plan.expressions())) {
      if (e instanceof LateralSubquery sub) {
        functions(sub.plan(), out);
      }
    }
  }

  private static void collect(
      LogicalPlan plan, List<UnresolvedRelation> out, List<String> aliases, String alias) {
    if (plan instanceof UnresolvedRelation r) {
      out.add(r);
      aliases.add(alias);
      return;
    }
    String here = plan instanceof SubqueryAlias a ? a.alias() : null;
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      collect(child, out, aliases, here);
    }
    for (Expression e : JavaConverters.seqAsJavaList(plan.expressions())) {
      if (e instanceof LateralSubquery sub) {
        collect(sub.plan(), out, aliases, null);
      }
    }
  }

  /** Refuses what mixes rows, and a source that is not a Lance table, by analyzing the query. */
  private void check(String viewName) {
    LogicalPlan analyzed;
    try {
      analyzed = analyzed(top).queryExecution().analyzed();
    } catch (Exception e) { // Spark's AnalysisException too, which Java sees as checked
      throw refused(viewName, "its query fails: " + firstLine(e.getMessage()));
    }
    List<String> mixing = new ArrayList<>();
    List<Object> tables = new ArrayList<>();
    walk(analyzed, mixing, tables);
    if (partitionBy != null) {
      mixing.removeIf("Aggregate"::equals); // groups of rows, recomputed whole by their key
      if (!List.of(analyzed.schema().fieldNames()).contains(partitionBy)) {
        throw refused(
            viewName,
            "PARTITION BY ("
                + partitionBy
                + "): the query's result has no column "
                + partitionBy
                + " (it has "
                + String.join(", ", analyzed.schema().fieldNames())
                + ")");
      }
    }
    if (!mixing.isEmpty()) {
      throw mixes(viewName, mixing);
    }
    if (tables.size() != 1 || !(tables.get(0) instanceof LanceDataset)) {
      throw refused(
          viewName, "its source " + String.join(".", sourceName) + " is not a Lance table");
    }
  }

  private static void walk(LogicalPlan plan, List<String> mixing, List<Object> tables) {
    String name = plan.getClass().getSimpleName();
    if (MIXING.contains(name)) {
      mixing.add(plan.nodeName());
    }
    if (plan instanceof DataSourceV2Relation r) {
      tables.add(r.table());
    } else if (plan instanceof org.apache.spark.sql.catalyst.plans.logical.LeafNode
        && !(plan instanceof org.apache.spark.sql.catalyst.plans.logical.OneRowRelation)
        && !name.startsWith("Local")) {
      tables.add(plan);
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      walk(child, mixing, tables);
    }
    if (plan instanceof LateralJoin join) {
      walk(join.right().plan(), mixing, tables);
    }
  }

  /**
   * The derived rows of a staged copy of some source rows ({@link StagedFragments}): the query with
   * the source replaced by the copy ({@code relation}: its temporary view's name, or its rows),
   * each row's source address from the copy's {@link StagedFragments#SOURCE_ADDRESS}.
   */
  Dataset<Row> rowsFrom(LogicalPlan relation) {
    String row = sourceColumn(StagedFragments.SOURCE_ADDRESS);
    return withSourceRow(row, withAddresses(replaceSource(top.child(), relation, false), row));
  }

  /** The source's column {@code name}, qualified by the query's alias of the source if any. */
  private String sourceColumn(String name) {
    return (sourceAlias == null ? "" : "`" + sourceAlias + "`.") + name;
  }

  /** The query's projection plus {@code row} as {@link #SOURCE_ROW}, over {@code child}. */
  private Dataset<Row> withSourceRow(String row, LogicalPlan child) {
    List<NamedExpression> columns =
        new ArrayList<>(JavaConverters.seqAsJavaList(top.projectList()));
    columns.add((NamedExpression) expression(row + " AS " + SOURCE_ROW));
    return analyzed(new Project(JavaConverters.asScalaBuffer(columns).toSeq(), child));
  }

  private static LogicalPlan replaceSource(LogicalPlan plan, LogicalPlan staged, boolean aliased) {
    if (plan instanceof UnresolvedRelation r) {
      if (aliased) {
        return staged;
      }
      // FROM t, its columns written t.c: the copy answers to the source's own name.
      List<String> name = JavaConverters.seqAsJavaList(r.multipartIdentifier());
      return org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias$.MODULE$.apply(
          name.get(name.size() - 1), staged);
    }
    List<LogicalPlan> children = new ArrayList<>();
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      children.add(replaceSource(child, staged, plan instanceof SubqueryAlias));
    }
    return children.isEmpty()
        ? plan
        : plan.withNewChildren(JavaConverters.asScalaBuffer(children).toSeq());
  }

  /**
   * The source columns the query reads anywhere (its projection, its WHERE, its UDFs' arguments):
   * the files a derived row's value depends on, and what a refresh stages.
   */
  List<String> sourceColumns() {
    LogicalPlan analyzed = analyzed(top).queryExecution().analyzed();
    java.util.Map<Object, String> source = new java.util.HashMap<>();
    sourceOutput(analyzed, source);
    java.util.Set<String> out = new java.util.TreeSet<>();
    referenced(analyzed, source, out);
    return List.copyOf(out);
  }

  private static void sourceOutput(LogicalPlan plan, java.util.Map<Object, String> out) {
    if (plan instanceof DataSourceV2Relation r) {
      for (var a : JavaConverters.seqAsJavaList(r.output())) {
        out.put(a.exprId(), a.name());
      }
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      sourceOutput(child, out);
    }
  }

  private static void referenced(
      LogicalPlan plan, java.util.Map<Object, String> source, java.util.Set<String> out) {
    for (org.apache.spark.sql.catalyst.expressions.Attribute a :
        JavaConverters.seqAsJavaList(plan.references().toSeq())) {
      String name = source.get(a.exprId());
      if (name != null && !name.startsWith("_")) {
        out.add(name);
      }
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      referenced(child, source, out);
    }
    if (plan instanceof LateralJoin join) {
      referenced(join.right().plan(), source, out);
      for (org.apache.spark.sql.catalyst.expressions.Attribute a :
          JavaConverters.seqAsJavaList(join.right().references().toSeq())) {
        String name = source.get(a.exprId());
        if (name != null && !name.startsWith("_")) {
          out.add(name);
        }
      }
    }
  }

  /** The column that groups rows (PARTITION BY), or null when each row is derived alone. */
  String partitionBy() {
    return partitionBy;
  }

  /**
   * The rows of the groups whose {@code partitionBy} value is one of {@code keys} (SQL literals),
   * all when null: for a partitioned view.
   */
  Dataset<Row> groups(List<String> keys) {
    // A group its UDF fails on is skipped (with on_error = 'skip') under its key's hash.
    LogicalPlan child = withAddresses(top.child(), GroupKeys.hashExpression(partitionBy));
    if (keys != null) {
      child =
          new Filter(
              expression(
                  keys.isEmpty()
                      ? "false"
                      : "`" + partitionBy + "` IN (" + String.join(", ", keys) + ")"),
              child);
    }
    return analyzed(new Project(top.projectList(), child));
  }

  /** The source table's name as written. */
  List<String> sourceName() {
    return sourceName;
  }

  /** The query's text. */
  String sql() {
    return sql;
  }

  /**
   * The derived rows of the source's fragments {@code fragmentIds} (all of them when null), each
   * with its source row's address in {@link #SOURCE_ROW}.
   */
  Dataset<Row> rows(List<Integer> fragmentIds) {
    String row = sourceColumn("_rowaddr");
    LogicalPlan child = top.child();
    if (fragmentIds != null) {
      String in =
          fragmentIds.isEmpty()
              ? "false"
              : "shiftright("
                  + row
                  + ", 32) IN ("
                  + fragmentIds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + ")";
      child = new Filter(expression(in), child);
    }
    return withSourceRow(row, withAddresses(child, row));
  }

  private Expression expression(String text) {
    try {
      return spark.sessionState().sqlParser().parseExpression(text);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
      throw new IllegalStateException("cannot parse " + text + ": " + e.getMessage(), e);
    }
  }

  private static LancetException mixes(String viewName, List<String> nodes) {
    return refused(
        viewName,
        "its query mixes rows ("
            + String.join(", ", nodes)
            + "): a materialized view here is a projection and filter of one table, with 1:N"
            + " UDFs; no joins, aggregates, windows, sorts, limits, distinct or unions");
  }

  private static LancetException refused(String viewName, String why) {
    return new LancetException(
        ErrorCode.LANCET_UNSUPPORTED, "materialized view " + viewName + ": " + why);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
