package dev.lancet.spark.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lancet.spark.conf.LancetConf;
import dev.lancet.spark.sql.errors.LancetSqlException;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.CreateNamedStruct;
import org.apache.spark.sql.catalyst.expressions.CreateStruct$;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.catalyst.expressions.Inline;
import org.apache.spark.sql.catalyst.expressions.Literal$;
import org.apache.spark.sql.catalyst.expressions.objects.StaticInvoke;
import org.apache.spark.sql.catalyst.plans.logical.Generate;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.OneRowRelation;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StringType;
import scala.Function1;
import scala.Option;
import scala.Tuple3;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/**
 * The table function {@code lancet_explode('class', arg, ...)}: a 1:N UDF's derived rows, usable
 * wherever Spark takes a table function, {@code LATERAL} included ({@code FROM docs d, LATERAL
 * lancet_explode('com.acme.Chunker', d.text) c}). It plans as Spark's own generators do (a {@code
 * Generate} of {@code inline}), over an expression that calls the UDF ({@link ExplodeCalls}), so
 * Spark decorrelates, distributes and codegens around it as around {@code explode}. Short names
 * registered with {@code CREATE TEMPORARY TABLE FUNCTION} plan the same way, with their options.
 */
public final class ExplodeFunction {
  /** The function's name. */
  public static final String NAME = "lancet_explode";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ExplodeFunction() {}

  /** The description {@code SparkSessionExtensions.injectTableFunction} takes. */
  public static Tuple3<FunctionIdentifier, ExpressionInfo, Function1<Seq<Expression>, LogicalPlan>>
      description() {
    return new Tuple3<>(FunctionIdentifier.apply(NAME), info(NAME), builder(NAME, null, Map.of()));
  }

  /**
   * The builder of a table function: {@code lancet_explode}'s (null {@code className}: the class is
   * the first argument), or a short name's, whose class and options are fixed.
   */
  public static Function1<Seq<Expression>, LogicalPlan> builder(
      String function, String className, Map<String, String> options) {
    return new scala.runtime.AbstractFunction1<>() {
      @Override
      public LogicalPlan apply(Seq<Expression> args) {
        try {
          List<Expression> all = JavaConverters.seqAsJavaList(args);
          if (className != null) {
            return plan(function, className, options, all);
          }
          if (all.isEmpty()
              || !all.get(0).foldable()
              || !(all.get(0).dataType() instanceof StringType)) {
            throw new LancetException(
                ErrorCode.LANCET_UDF_INVALID,
                NAME
                    + " takes the UDF class name as a string first, e.g. "
                    + NAME
                    + "('com.acme.Chunker', text)");
          }
          String named = String.valueOf(all.get(0).eval(null));
          return plan(function, named, options, all.subList(1, all.size()));
        } catch (LancetException e) {
          throw LancetSqlException.raise(e); // an AnalysisException, [CODE] message
        }
      }
    };
  }

  /** The usage Spark's DESCRIBE FUNCTION shows. */
  public static ExpressionInfo info(String name) {
    return new ExpressionInfo(
        ExplodeFunction.class.getName(),
        null,
        name,
        "_FUNC_('class', arg, ...) - the rows a 1:N Lancet UDF derives from its arguments",
        "",
        "",
        "",
        "table_funcs",
        "",
        "",
        "built-in");
  }

  /**
   * The plan of {@code className}'s derived rows from {@code arguments}: checks the class (the
   * session's class policy, its call's return and arity) on the driver, where the statement fails
   * in one line.
   */
  static LogicalPlan plan(
      String function, String className, Map<String, String> options, List<Expression> args) {
    FunctionScope scope = FunctionScope.current();
    FunctionCode code = scope.code(); // a view's pinned jars, or null
    SkippedRows skipped = scope.skipped(); // a view's sink for rows its UDF fails on, or null
    Expression address = Literal$.MODULE$.apply(-1L);
    if (!args.isEmpty() && addressOf(args.get(args.size() - 1)) != null) {
      address = addressOf(args.get(args.size() - 1)); // added by a view's query, not the UDF's
      args = args.subList(0, args.size() - 1);
    }
    ExplodeUdf udf = check(className, options, code);
    if (udf.arity() != args.size()) {
      throw new LancetException(
          ErrorCode.LANCET_UDF_INVALID,
          function
              + ": "
              + className
              + ".call takes "
              + udf.arity()
              + " argument(s), "
              + args.size()
              + " given");
    }
    CreateNamedStruct arguments =
        CreateStruct$.MODULE$.apply(JavaConverters.asScalaBuffer(args).toSeq());
    Expression call =
        new StaticInvoke(
            ExplodeCalls.class,
            new ArrayType(udf.rows(), false),
            "call",
            JavaConverters.asScalaBuffer(
                    List.<Expression>of(
                        Literal$.MODULE$.apply(className),
                        Literal$.MODULE$.apply(writeOptions(options)),
                        Literal$.MODULE$.apply(arguments.dataType().toDDL()),
                        Literal$.MODULE$.apply(code == null ? "" : code.json()),
                        Literal$.MODULE$.create(
                            skipped, new org.apache.spark.sql.types.ObjectType(SkippedRows.class)),
                        address,
                        arguments))
                .toSeq(),
            JavaConverters.asScalaBuffer(List.<org.apache.spark.sql.types.AbstractDataType>of())
                .toSeq(),
            false, // propagateNull: the call decides (a null input gives no rows)
            true,
            true);
    return new Generate(
        new Inline(call),
        JavaConverters.asScalaBuffer(List.<Object>of()).toSeq(),
        false,
        Option.empty(),
        JavaConverters.asScalaBuffer(List.<org.apache.spark.sql.catalyst.expressions.Attribute>of())
            .toSeq(),
        new OneRowRelation());
  }

  /**
   * The source row's address, when {@code arg} is the argument a view's query adds to its table
   * functions ({@code named_struct('__lancet_source_row', address)}), else null.
   */
  private static Expression addressOf(Expression arg) {
    if (arg instanceof CreateNamedStruct s
        && s.names().size() == 1
        && SkippedRows.ADDRESS_ARGUMENT.equals(String.valueOf(s.names().head()))) {
      return s.valExprs().head();
    }
    return null;
  }

  /**
   * The 1:N UDF {@code className} loaded as the session's policy allows, its options checked
   * against its constructors; fails in one line.
   */
  public static ExplodeUdf check(String className, Map<String, String> options) {
    return check(className, options, null);
  }

  /** {@link #check(String, Map)}, loading from {@code code} (null: the session's class loader). */
  static ExplodeUdf check(String className, Map<String, String> options, FunctionCode code) {
    LancetConf conf = LancetConf.of(SparkSession.active());
    conf.classPolicy().check(className);
    ExplodeUdf udf =
        ExplodeUdf.of(
            conf.classPolicy()
                .load(
                    className,
                    code == null
                        ? dev.lancet.backfill.PinnedCode.sessionLoader(
                            className, conf.udfClassLoader())
                        : code.loader()));
    udf.checkOptions(options);
    return udf;
  }

  static String writeOptions(Map<String, String> options) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(options));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static Map<String, String> readOptions(String json) {
    try {
      return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable options " + json, e);
    }
  }
}
