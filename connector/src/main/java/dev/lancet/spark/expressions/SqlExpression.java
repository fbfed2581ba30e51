package dev.lancet.spark.expressions;

import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Alias$;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.expressions.Unevaluable;
import org.apache.spark.sql.catalyst.optimizer.ReplaceExpressions$;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation$;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.util.GeneratedColumnAnalyzer$;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.internal.SQLConf$;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * A virtual column's SQL expression ({@code ADD COLUMN area AS (x * y)}), resolved with Spark's own
 * analyzer against the columns it reads: the session-free analyzer Spark checks generated columns
 * with (built-in functions only), then the rewrites Spark applies before evaluating ({@code nvl} to
 * {@code coalesce}), under the SQL settings recorded when the column was added, so a worker
 * evaluates exactly what the session would. Only deterministic expressions of the row's own columns
 * are accepted: no aggregates, generators, subqueries, UDFs or clocks.
 *
 * @param text the expression as written
 * @param resolved the resolved expression over {@code input}'s attributes
 * @param input the columns it reads, as a relation
 * @param settings the SQL settings it was resolved under
 */
public record SqlExpression(
    String text, Expression resolved, LocalRelation input, Map<String, String> settings) {

  /** The SQL settings that change what an expression computes, recorded with the column. */
  public static final List<String> SETTINGS =
      List.of(
          "spark.sql.ansi.enabled",
          "spark.sql.session.timeZone",
          "spark.sql.caseSensitive",
          "spark.sql.legacy.sizeOfNull");

  /** The column options that record {@link #SETTINGS}, in the same order. */
  static final List<String> OPTIONS =
      List.of("ansi", "time_zone", "case_sensitive", "legacy_size_of_null");

  /** Functions Spark marks deterministic whose value changes with the clock or the session. */
  private static final Set<String> CLOCKS =
      Set.of(
          "current_date",
          "current_timestamp",
          "now",
          "curdate",
          "localtimestamp",
          "current_timezone",
          "current_user",
          "user",
          "session_user",
          "current_database",
          "current_schema",
          "current_catalog",
          "input_file_name",
          "monotonically_increasing_id",
          "spark_partition_id");

  /**
   * Resolves {@code text} against {@code columns} (the table's, or a batch's), under {@code
   * settings}; fails in one line naming the expression and what is wrong.
   *
   * @param column the virtual column, for messages
   */
  public static SqlExpression resolve(
      String column, String text, StructType columns, Map<String, String> settings) {
    return SQLConf$.MODULE$.withExistingConf(
        conf(settings), () -> resolveUnder(column, text, columns, settings));
  }

  /** A SQL configuration of {@code settings} (the rest at Spark's defaults), to evaluate under. */
  static SQLConf conf(Map<String, String> settings) {
    SQLConf conf = new SQLConf();
    settings.forEach(conf::setConfString);
    return conf;
  }

  private static SqlExpression resolveUnder(
      String column, String text, StructType columns, Map<String, String> settings) {
    Expression parsed;
    try {
      parsed = CatalystSqlParser$.MODULE$.parseExpression(text);
    } catch (Exception e) { // ParseException
      throw invalid(column, text, firstLine(e.getMessage()));
    }
    for (String f : functionNames(parsed)) {
      if (CLOCKS.contains(f)) {
        throw invalid(column, text, f + "() is not a function of the row: its value changes");
      }
    }
    Alias$ a = Alias$.MODULE$;
    Alias alias =
        new Alias(
            parsed,
            "value",
            a.apply$default$3(parsed, "value"),
            a.apply$default$4(parsed, "value"),
            a.apply$default$5(parsed, "value"),
            a.apply$default$6(parsed, "value"));
    LocalRelation relation = LocalRelation$.MODULE$.apply(columns);
    LogicalPlan plan;
    try {
      plan =
          GeneratedColumnAnalyzer$.MODULE$.execute(
              new Project(seq(List.<NamedExpression>of(alias)), relation));
      GeneratedColumnAnalyzer$.MODULE$.checkAnalysis(plan);
      plan = ReplaceExpressions$.MODULE$.apply(plan);
    } catch (Exception e) { // AnalysisException is checked in Java's eyes
      throw invalid(column, text, firstLine(e.getMessage()));
    }
    if (!(plan instanceof Project project) || !(project.child() instanceof LocalRelation)) {
      throw invalid(
          column,
          text,
          "an aggregate or a generator is not a value of one row (" + plan.nodeName() + ")");
    }
    Expression resolved = ((Alias) project.projectList().head()).child();
    if (!resolved.deterministic()) {
      throw invalid(column, text, "it is not deterministic, so a value could not be kept");
    }
    // Attributes are bound to the batch's columns before evaluation; anything else unevaluable is
    // only meaningful inside a query.
    if (resolved.find(e -> e instanceof Unevaluable && !(e instanceof Attribute)).isDefined()) {
      throw invalid(column, text, "it cannot be evaluated outside a query");
    }
    return new SqlExpression(text, resolved, relation, Map.copyOf(settings));
  }

  /** The column's options for {@code settings}: a short option name per setting. */
  public static Map<String, String> optionsOf(Map<String, String> settings) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < SETTINGS.size(); i++) {
      String value = settings.get(SETTINGS.get(i));
      if (value != null) {
        out.put(OPTIONS.get(i), value);
      }
    }
    return out;
  }

  /** The settings a column's options recorded ({@link #optionsOf}). */
  public static Map<String, String> settingsFromOptions(Map<String, String> options) {
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < SETTINGS.size(); i++) {
      String value = options.get(OPTIONS.get(i));
      if (value != null) {
        out.put(SETTINGS.get(i), value);
      }
    }
    return out;
  }

  /** The settings of {@link #SETTINGS} as {@code conf} has them. */
  public static Map<String, String> settingsOf(SQLConf conf) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : SETTINGS) {
      out.put(key, conf.getConfString(key));
    }
    return out;
  }

  /** The table's columns it reads, in the table's order. */
  public List<String> inputs() {
    Set<String> used = new java.util.HashSet<>();
    resolved.foreach(
        e -> {
          if (e instanceof AttributeReference r) {
            used.add(r.name());
          }
          return scala.runtime.BoxedUnit.UNIT;
        });
    List<String> out = new ArrayList<>();
    for (Attribute attribute : JavaConverters.seqAsJavaList(input.output())) {
      if (used.contains(attribute.name())) {
        out.add(attribute.name());
      }
    }
    return out;
  }

  /** Its Spark type. */
  public DataType dataType() {
    return resolved.dataType();
  }

  /** Its type as a Lancet type string ({@code bigint}, {@code array<string>}, ...). */
  public String typeString() {
    try {
      return TypeStrings.canonical(dataType().catalogString());
    } catch (RuntimeException e) {
      throw invalid(
          "", text, "its type " + dataType().catalogString() + " cannot be a column's type");
    }
  }

  private static List<String> functionNames(Expression parsed) {
    List<String> names = new ArrayList<>();
    parsed.foreach(
        e -> {
          if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedFunction f) {
            names.add(f.nameParts().last().toLowerCase(Locale.ROOT));
          } else if (e instanceof org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute a
              && a.nameParts().size() == 1) {
            names.add(a.nameParts().head().toLowerCase(Locale.ROOT)); // current_date, no ()
          }
          return scala.runtime.BoxedUnit.UNIT;
        });
    return names;
  }

  private static LancetException invalid(String column, String text, String why) {
    return new LancetException(
        ErrorCode.LANCET_INVALID_EXPRESSION,
        (column.isEmpty() ? "" : "column '" + column + "': ")
            + "expression '"
            + text
            + "' cannot be a virtual column: "
            + why);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "it cannot be resolved";
    }
    String line = message.strip().lines().findFirst().orElse(message).strip();
    return line.replaceAll("^\\[[A-Z_.]+\\] ", "");
  }

  static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
    return JavaConverters.asScalaBuffer(list).toList();
  }
}
