package dev.lancet.spark.sql.parser;

import dev.lancet.spark.ops.BackfillOptions;
import dev.lancet.spark.ops.VirtualColumnDef;
import dev.lancet.spark.sql.plans.AddVirtualColumns;
import dev.lancet.spark.sql.plans.AlterVirtualColumn;
import dev.lancet.spark.sql.plans.BackfillColumns;
import dev.lancet.spark.sql.plans.CancelBackfill;
import dev.lancet.spark.sql.plans.CreateTableFunction;
import dev.lancet.spark.sql.plans.ExplainBackfill;
import dev.lancet.spark.sql.plans.LoadColumns;
import dev.lancet.spark.sql.plans.MaterializedViewCommand;
import dev.lancet.spark.sql.plans.OptimizeTable;
import dev.lancet.spark.sql.plans.ShowBackfillErrors;
import dev.lancet.spark.sql.plans.ShowBackfillJobs;
import dev.lancet.spark.sql.plans.ShowVirtualColumns;
import dev.lancet.spark.views.ViewOptions;
import dev.lancet.udf.UdfException;
import dev.lancet.udf.types.TypeStrings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;

/**
 * Parses Lancet's own statements and only those:
 *
 * <pre>
 * ALTER TABLE t ADD COLUMN[S] name [type] USING UDF 'class' [INPUTS (a, b)] [JARS ('x.jar', ...)]
 *     [OPTIONS (k = 'v', ...)]
 * ALTER TABLE t ADD COLUMNS (name, name2, ...) USING UDF 'class' [...]   (sibling columns)
 *     [, name2 ...] [BACKFILL [WHERE filter]]
 * BACKFILL [TABLE] t (col [, col ...]) [WHERE filter] [OPTIONS (batch_size = 1024, commit_granularity = 16)]
 *     [LIMIT n]
 * EXPLAIN BACKFILL [TABLE] t (col [, col ...]) [WHERE filter] [OPTIONS (...)] [LIMIT n]
 * ALTER TABLE t ALTER COLUMN c SET UDF 'class' [INPUTS (a, b)] [JARS (...)] [OPTIONS (...)]
 * ALTER TABLE t ADD COLUMN[S] name [type] AS (spark sql expression) [, ...] [BACKFILL [WHERE filter]]
 * ALTER TABLE t ALTER COLUMN c SET AS (spark sql expression)
 * SHOW VIRTUAL COLUMNS IN t
 * CREATE [OR REPLACE] TEMPORARY TABLE FUNCTION name USING UDF 'class' [OPTIONS (...)]
 * ALTER TABLE t LOAD COLUMNS (a, b) FROM source_table | 'path' KEY (id) [OPTIONS (as BACKFILL's)]
 * SHOW BACKFILL JOBS [IN t]
 * SHOW BACKFILL ERRORS [IN t] [FOR JOB 'id']
 * CANCEL BACKFILL 'job id' [IN t]
 * OPTIMIZE [TABLE] t [OPTIONS (target_rows_per_fragment = 1048576)]
 * CREATE MATERIALIZED VIEW [IF NOT EXISTS] v [PARTITION BY (key)] AS SELECT ... (then Spark SQL)
 * CREATE MATERIALIZED VIEW ... [OPTIONS (on_error = 'skip', max_error_fraction = 0.1)] AS ...
 * REFRESH MATERIALIZED VIEW v [OPTIONS (fragments_per_commit = 16, on_error = 'skip', ...)]
 * DROP MATERIALIZED VIEW [IF EXISTS] v
 * SHOW MATERIALIZED VIEWS [IN namespace]
 * </pre>
 *
 * Keywords are case-insensitive and never reserved: a column may be called {@code backfill}. A
 * filter is Lance's filter language, passed to Lance as written (e.g. {@code starts_with(filename,
 * 'a') and content is null}).
 *
 * <p>It is longer than 300 lines because it is one recursive-descent grammar whose rules share the
 * token cursor, and split up it would be harder to read as a whole.
 */
public final class LancetStatementParser {
  private final String sql;
  private final List<Token> tokens;
  private int pos;

  private LancetStatementParser(String sql) {
    this.sql = sql;
    this.tokens = SqlLexer.tokenize(sql);
  }

  /** Whether {@code sql} is a Lancet statement (otherwise it belongs to Spark's parser). */
  public static boolean isLancetStatement(String sql) {
    List<Token> t;
    try {
      t = SqlLexer.tokenize(sql);
    } catch (SyntaxError e) {
      return false; // let Spark report its own lexical errors
    }
    if (t.get(0).isKeyword("BACKFILL")
        || t.get(0).isKeyword("OPTIMIZE")
        || (t.get(0).isKeyword("CANCEL") && t.get(1).isKeyword("BACKFILL"))
        || (t.get(0).isKeyword("EXPLAIN") && t.get(1).isKeyword("BACKFILL"))) {
      return true;
    }
    if (t.get(0).isKeyword("SHOW")
        && (t.get(1).isKeyword("VIRTUAL") || t.get(1).isKeyword("BACKFILL"))) {
      return true;
    }
    // Materialized views: Spark 3.5 has none.
    if ((t.get(0).isKeyword("CREATE")
            || t.get(0).isKeyword("REFRESH")
            || t.get(0).isKeyword("DROP")
            || t.get(0).isKeyword("SHOW"))
        && t.get(1).isKeyword("MATERIALIZED")) {
      return true;
    }
    if (t.get(0).isKeyword("CREATE")) {
      // CREATE [OR REPLACE] TEMPORARY TABLE FUNCTION: Spark has no table functions of its own.
      for (int i = 1; i + 1 < t.size() && i < 6; i++) {
        if (t.get(i).isKeyword("TABLE") && t.get(i + 1).isKeyword("FUNCTION")) {
          return true;
        }
      }
    }
    if (t.get(0).isKeyword("ALTER") && t.get(1).isKeyword("TABLE")) {
      boolean adds = false;
      for (int i = 2; i + 1 < t.size(); i++) {
        if (t.get(i).isKeyword("LOAD") && t.get(i + 1).isKeyword("COLUMNS")) {
          return true;
        }
        adds |= t.get(i).isKeyword("ADD") || t.get(i).isKeyword("SET");
        if ((t.get(i).isKeyword("USING") || t.get(i).isKeyword("SET"))
            && t.get(i + 1).isKeyword("UDF")) {
          return true;
        }
        // ADD COLUMN c AS (expr), SET AS (expr): Spark has no such statement. Without the
        // parentheses too, so that their absence is our one-line error, not Spark's.
        if (adds && t.get(i).isKeyword("AS")) {
          return true;
        }
      }
    }
    return false;
  }

  /** Parses a Lancet statement into its logical plan. */
  public static LogicalPlan parse(String sql) throws LancetParseException {
    try {
      return new LancetStatementParser(sql).statement();
    } catch (SyntaxError e) {
      throw new LancetParseException(e, sql);
    }
  }

  private LogicalPlan statement() {
    LogicalPlan plan;
    if (peek().isKeyword("BACKFILL")) {
      plan = backfill();
    } else if (peek().isKeyword("EXPLAIN")) {
      keyword("EXPLAIN");
      plan = new ExplainBackfill(backfill());
    } else if (peek().isKeyword("CANCEL")) {
      plan = cancel();
    } else if (peek().isKeyword("OPTIMIZE")) {
      plan = optimize();
    } else if (tokens.size() > 1 && tokens.get(1).isKeyword("MATERIALIZED")) {
      plan = materializedView();
    } else if (peek().isKeyword("SHOW")) {
      plan = show();
    } else if (peek().isKeyword("CREATE")) {
      plan = createTableFunction();
    } else {
      plan = alterTable();
    }
    if (peek().isSymbol(";")) {
      pos++;
    }
    expectEnd();
    return plan;
  }

  private LogicalPlan show() {
    keyword("SHOW");
    if (acceptKeyword("VIRTUAL")) {
      keyword("COLUMNS");
      if (!acceptKeyword("IN")) {
        keyword("FROM");
      }
      return new ShowVirtualColumns(qualifiedName("a table name"));
    }
    keyword("BACKFILL");
    if (acceptKeyword("ERRORS")) {
      List<String> table =
          acceptKeyword("IN") || acceptKeyword("FROM") ? qualifiedName("a table name") : List.of();
      String job = null;
      if (acceptKeyword("FOR")) {
        keyword("JOB");
        Token id = peek();
        if (id.kind() != Token.Kind.STRING) {
          throw error(
              "expected the job id as a quoted string after FOR JOB, found " + id.describe(), id);
        }
        pos++;
        job = id.text();
      }
      return new ShowBackfillErrors(table, job);
    }
    if (!peek().isKeyword("JOBS")) {
      throw error("expected JOBS or ERRORS, found " + peek().describe(), peek());
    }
    keyword("JOBS");
    if (acceptKeyword("IN") || acceptKeyword("FROM")) {
      return new ShowBackfillJobs(qualifiedName("a table name"));
    }
    return new ShowBackfillJobs(List.of());
  }

  private LogicalPlan materializedView() {
    Token verb = peek();
    pos++;
    keyword("MATERIALIZED");
    if (verb.isKeyword("SHOW")) {
      keyword("VIEWS");
      List<String> namespace =
          acceptKeyword("IN") || acceptKeyword("FROM") ? qualifiedName("a namespace") : List.of();
      return MaterializedViewCommand.show(namespace);
    }
    keyword("VIEW");
    if (verb.isKeyword("REFRESH")) {
      List<String> view = qualifiedName("a view name");
      return MaterializedViewCommand.refresh(view, viewOptions("REFRESH"));
    }
    boolean ifClause = acceptKeyword("IF");
    if (ifClause) {
      if (verb.isKeyword("CREATE")) {
        keyword("NOT");
      }
      keyword("EXISTS");
    }
    List<String> name = qualifiedName("a view name");
    if (verb.isKeyword("DROP")) {
      return MaterializedViewCommand.drop(name, ifClause);
    }
    String partitionBy = null;
    if (acceptKeyword("PARTITION")) {
      keyword("BY");
      symbol("(");
      partitionBy = identifier("the column that groups the source's rows");
      if (peek().isSymbol(",")) {
        throw error("PARTITION BY takes one column, e.g. PARTITION BY (video_id)", peek());
      }
      symbol(")");
    }
    ViewOptions options = viewOptions("CREATE");
    keyword("AS");
    Token start = peek();
    if (start.kind() == Token.Kind.END) {
      throw error("expected the view's query after AS, e.g. AS SELECT ... FROM t", start);
    }
    int end = sql.length();
    while (peek().kind() != Token.Kind.END) {
      Token t = peek();
      if (t.isSymbol(";")) {
        end = t.offset();
      }
      pos++;
    }
    String query = sql.substring(start.offset(), end).strip();
    return MaterializedViewCommand.create(name, query, ifClause, partitionBy, options);
  }

  /**
   * A materialized view's {@code OPTIONS (...)} if they come next, checked where they are written;
   * {@link ViewOptions#NONE} without.
   */
  private ViewOptions viewOptions(String statement) {
    ViewOptions options = ViewOptions.NONE;
    if (peek().isKeyword("OPTIONS")) {
      for (OptionToken option : options()) {
        try {
          options = options.with(option.key(), option.value().text());
        } catch (dev.lancet.udf.LancetException e) {
          boolean unknown = e.getMessage().startsWith("unknown option ");
          throw error(
              unknown
                  ? "unknown " + statement + e.getMessage().substring("unknown".length())
                  : statement + " option " + e.getMessage(),
              unknown ? option.keyToken() : option.value());
        }
      }
    }
    return options;
  }

  private LogicalPlan optimize() {
    keyword("OPTIMIZE");
    acceptKeyword("TABLE");
    List<String> table = qualifiedName("a table name");
    Long target = null;
    if (peek().isKeyword("OPTIONS")) {
      for (OptionToken option : options()) {
        if (!option.key().equals("target_rows_per_fragment")) {
          throw error(
              "unknown OPTIMIZE option '"
                  + option.key()
                  + "'; the one option is target_rows_per_fragment",
              option.keyToken());
        }
        try {
          target = Long.parseLong(option.value().text());
        } catch (NumberFormatException e) {
          target = -1L;
        }
        if (target <= 0) {
          throw error(
              "OPTIMIZE option 'target_rows_per_fragment' must be a positive integer, got '"
                  + option.value().text()
                  + "'",
              option.value());
        }
      }
    }
    return new OptimizeTable(table, target);
  }

  private LogicalPlan cancel() {
    keyword("CANCEL");
    keyword("BACKFILL");
    Token id = peek();
    if (id.kind() != Token.Kind.STRING) {
      throw error(
          "expected the job id as a quoted string, e.g. CANCEL BACKFILL '6f1c...', found "
              + id.describe(),
          id);
    }
    pos++;
    List<String> table =
        acceptKeyword("IN") || acceptKeyword("FROM") ? qualifiedName("a table name") : List.of();
    return new CancelBackfill(id.text(), table);
  }

  private LogicalPlan createTableFunction() {
    keyword("CREATE");
    boolean replace = acceptKeyword("OR");
    if (replace) {
      keyword("REPLACE");
    }
    Token temporary = peek();
    if (!acceptKeyword("TEMPORARY") && !acceptKeyword("TEMP")) {
      throw error(
          "a table function lives for the session: write CREATE TEMPORARY TABLE FUNCTION, found "
              + temporary.describe(),
          temporary);
    }
    keyword("TABLE");
    keyword("FUNCTION");
    String name = identifier("a function name");
    keyword("USING");
    keyword("UDF");
    VirtualColumnDef def = udfClause(name, null);
    if (!def.inputs().isEmpty() || !def.jars().isEmpty()) {
      throw error(
          "a table function takes its inputs as arguments and its classes from the session's jars"
              + " (ADD JAR): INPUTS and JARS do not apply",
          peek());
    }
    return new CreateTableFunction(name, def.udfClass(), def.options(), replace);
  }

  private LogicalPlan alterTable() {
    keyword("ALTER");
    keyword("TABLE");
    List<String> table = qualifiedName("a table name");
    if (acceptKeyword("LOAD")) {
      keyword("COLUMNS");
      List<String> columns = parenthesizedIdentifiers("a column name");
      keyword("FROM");
      Token source = peek();
      List<String> sourceTable = List.of();
      String sourcePath = null;
      if (source.kind() == Token.Kind.STRING) {
        pos++;
        sourcePath = source.text();
      } else {
        sourceTable = qualifiedName("a source table name or a quoted path");
      }
      keyword("KEY");
      List<String> key = parenthesizedIdentifiers("the key column");
      if (key.size() != 1) {
        throw error("LOAD COLUMNS takes one key column, e.g. KEY (id)", peek());
      }
      return new LoadColumns(
          table, columns, sourceTable, sourcePath, key.get(0), backfillOptions());
    }
    if (acceptKeyword("ALTER")) {
      acceptKeyword("COLUMN");
      String name = identifier("a column name");
      keyword("SET");
      if (acceptKeyword("AS")) {
        return new AlterVirtualColumn(table, expressionClause(name, null));
      }
      keyword("UDF");
      VirtualColumnDef def = udfClause(name, null);
      return new AlterVirtualColumn(table, def);
    }
    return addColumns(table);
  }

  private LogicalPlan addColumns(List<String> table) {
    keyword("ADD");
    if (!acceptKeyword("COLUMNS")) {
      keyword("COLUMN");
    }
    List<VirtualColumnDef> columns = new ArrayList<>();
    do {
      columns.add(columnDef());
    } while (acceptSymbol(","));
    boolean backfill = acceptKeyword("BACKFILL");
    String filter = backfill && acceptKeyword("WHERE") ? filterText() : null;
    return new AddVirtualColumns(table, columns, backfill, filter);
  }

  private VirtualColumnDef columnDef() {
    if (peek().isSymbol("(")) {
      // (w, h, fmt) USING UDF: sibling columns, one per field of the UDF's record.
      List<String> names = parenthesizedIdentifiers("a sibling column name");
      Token using = peek();
      if (!using.isKeyword("USING")) {
        throw error(
            "expected USING UDF after sibling columns "
                + names
                + " (one UDF computes them all), found "
                + using.describe(),
            using);
      }
      keyword("USING");
      keyword("UDF");
      return udfClause(names.get(0), null).asSiblings(names);
    }
    String name = identifier("a column name");
    String type = null;
    if (!peek().isKeyword("USING") && !expressionAhead()) {
      type = typeExpression();
    }
    if (acceptKeyword("AS")) {
      return expressionClause(name, type);
    }
    keyword("USING");
    keyword("UDF");
    return udfClause(name, type);
  }

  private boolean expressionAhead() {
    return peek().isKeyword("AS");
  }

  /**
   * {@code (expression)} after AS: a Spark SQL expression over the table's columns, kept as written
   * and resolved when the column is added.
   */
  private VirtualColumnDef expressionClause(String name, String type) {
    Token open = peek();
    if (!open.isSymbol("(")) {
      throw error(
          "expected '(' and a SQL expression after AS, e.g. AS (x * y), found " + open.describe(),
          open);
    }
    pos++;
    Token first = peek();
    int depth = 1;
    Token last = null;
    while (peek().kind() != Token.Kind.END) {
      Token t = peek();
      depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
      if (depth == 0) {
        break;
      }
      last = t;
      pos++;
    }
    if (last == null || peek().kind() == Token.Kind.END) {
      throw error(
          last == null
              ? "expected a SQL expression between the parentheses, e.g. AS (x * y)"
              : "expected ')' to close the expression, found end of statement",
          last == null ? first : peek());
    }
    pos++; // the closing parenthesis
    String text = sql.substring(first.offset(), last.offset() + last.length());
    return VirtualColumnDef.expression(name, type, text);
  }

  /** {@code 'class' [INPUTS (...)] [JARS (...)] [OPTIONS (...)]} after USING UDF / SET UDF. */
  private VirtualColumnDef udfClause(String name, String type) {
    Token classToken = peek();
    if (classToken.kind() != Token.Kind.STRING) {
      throw error(
          "expected the UDF class name as a quoted string, e.g. 'com.acme.Area', found "
              + classToken.describe(),
          classToken);
    }
    pos++;
    List<String> inputs = List.of();
    List<String> jars = List.of();
    Map<String, String> options = Map.of();
    while (true) {
      if (inputs.isEmpty() && acceptKeyword("INPUTS")) {
        inputs = parenthesizedIdentifiers("an input column name");
      } else if (jars.isEmpty() && acceptKeyword("JARS")) {
        jars = parenthesizedStrings("a jar path as a quoted string, e.g. '/jars/udf.jar'");
      } else if (options.isEmpty() && peek().isKeyword("OPTIONS")) {
        options = new LinkedHashMap<>();
        for (OptionToken option : options()) {
          options.put(option.key(), option.value().text());
        }
      } else {
        break;
      }
    }
    return new VirtualColumnDef(name, type, classToken.text(), inputs, options, jars);
  }

  /**
   * The text of a filter, up to {@code OPTIONS (} (outside parentheses) or the end: a column may be
   * called {@code options} ({@code WHERE options IS NULL}).
   */
  private boolean optionsClauseAhead() {
    return peek().isKeyword("OPTIONS")
        && pos + 1 < tokens.size()
        && tokens.get(pos + 1).isSymbol("(");
  }

  private String filterText() {
    Token first = peek();
    int depth = 0;
    Token last = null;
    while (peek().kind() != Token.Kind.END
        && !peek().isSymbol(";")
        && !(depth == 0 && (optionsClauseAhead() || peek().isKeyword("LIMIT")))) {
      Token t = peek();
      depth += t.isSymbol("(") ? 1 : t.isSymbol(")") ? -1 : 0;
      last = t;
      pos++;
    }
    if (last == null) {
      throw error("expected a filter after WHERE, e.g. WHERE starts_with(filename, 'a')", first);
    }
    return sql.substring(first.offset(), last.offset() + last.length());
  }

  /**
   * A type such as {@code bigint}, {@code float[1536]} or {@code struct<a:int,b:string>}, up to
   * USING.
   */
  private String typeExpression() {
    Token first = peek();
    int depth = 0;
    Token last = first;
    while (peek().kind() != Token.Kind.END
        && !(depth == 0 && (peek().isKeyword("USING") || expressionAhead()))) {
      Token t = peek();
      if (t.isSymbol("<") || t.isSymbol("(") || t.isSymbol("[")) {
        depth++;
      } else if (t.isSymbol(">") || t.isSymbol(")") || t.isSymbol("]")) {
        depth--;
      } else if (depth == 0 && t != first && t.isKeyword("UDF")) {
        // "area USNG UDF 'X'": a misspelt USING, not a type.
        throw error("expected USING, found " + last.describe(), last);
      }
      last = t;
      pos++;
    }
    if (peek().kind() == Token.Kind.END) {
      throw error(
          "expected USING UDF 'class' or AS (expression) after the column's type, found end of"
              + " statement",
          peek());
    }
    String text = sql.substring(first.offset(), last.offset() + last.length());
    try {
      return TypeStrings.canonical(text);
    } catch (UdfException e) {
      throw error(e.getMessage(), first);
    }
  }

  private BackfillColumns backfill() {
    keyword("BACKFILL");
    acceptKeyword("TABLE");
    List<String> table = qualifiedName("a table name");
    if (!peek().isSymbol("(")) {
      throw error(
          "expected '(' and the columns to backfill after the table name, e.g. BACKFILL t (col),"
              + " found "
              + peek().describe(),
          peek());
    }
    List<String> columns = parenthesizedIdentifiers("a column name");
    String filter = acceptKeyword("WHERE") ? filterText() : null;
    long limit = acceptKeyword("LIMIT") ? limit() : 0;
    Map<String, String> options = backfillOptions();
    if (limit == 0 && acceptKeyword("LIMIT")) {
      limit = limit();
    }
    return new BackfillColumns(table, columns, filter, options, limit);
  }

  /** The row count after LIMIT: a positive whole number. */
  private long limit() {
    Token t = peek();
    long rows;
    try {
      rows = t.kind() == Token.Kind.NUMBER ? Long.parseLong(t.text()) : 0;
    } catch (NumberFormatException e) {
      rows = 0;
    }
    if (rows <= 0) {
      throw error(
          "expected the most rows to compute after LIMIT, a positive whole number (e.g. LIMIT"
              + " 1000), found "
              + t.describe(),
          t);
    }
    pos++;
    return rows;
  }

  /** One {@code key = value} of an OPTIONS list, with its tokens for error positions. */
  private record OptionToken(String key, Token keyToken, Token value) {}

  /** {@code [OPTIONS (...)]} of a backfill, each checked where it is written. */
  private Map<String, String> backfillOptions() {
    Map<String, String> options = new LinkedHashMap<>();
    if (peek().isKeyword("OPTIONS")) {
      for (OptionToken option : options()) {
        String problem = BackfillOptions.problem(option.key(), option.value().text());
        if (problem != null) {
          throw error(
              problem, BackfillOptions.known(option.key()) ? option.value() : option.keyToken());
        }
        options.put(option.key(), option.value().text());
      }
    }
    return options;
  }

  private List<OptionToken> options() {
    keyword("OPTIONS");
    symbol("(");
    Map<String, OptionToken> options = new LinkedHashMap<>();
    do {
      Token keyToken = peek();
      String key;
      if (keyToken.kind() == Token.Kind.STRING) {
        pos++;
        key = keyToken.text();
      } else {
        key = String.join(".", qualifiedName("an option name"));
      }
      acceptSymbol("=");
      Token value = peek();
      if (value.kind() == Token.Kind.SYMBOL
          && value.text().equals("-")
          && pos + 1 < tokens.size()
          && tokens.get(pos + 1).kind() == Token.Kind.NUMBER) {
        // A negative number: one value, so the option's check can say what is wrong with it.
        Token number = tokens.get(pos + 1);
        pos++;
        value =
            new Token(
                Token.Kind.NUMBER,
                "-" + number.text(),
                value.offset(),
                number.offset() + number.length() - value.offset());
      }
      if (value.kind() != Token.Kind.STRING
          && value.kind() != Token.Kind.NUMBER
          && value.kind() != Token.Kind.WORD) {
        throw error("expected a value for option '" + key + "', found " + value.describe(), value);
      }
      pos++;
      String normalized = key.toLowerCase(Locale.ROOT);
      if (options.put(normalized, new OptionToken(normalized, keyToken, value)) != null) {
        throw error("option '" + key + "' is given twice", keyToken);
      }
    } while (acceptSymbol(","));
    symbol(")");
    return List.copyOf(options.values());
  }

  private List<String> parenthesizedIdentifiers(String what) {
    symbol("(");
    List<String> names = new ArrayList<>();
    do {
      names.add(identifier(what));
    } while (acceptSymbol(","));
    symbol(")");
    return names;
  }

  private List<String> parenthesizedStrings(String what) {
    symbol("(");
    List<String> texts = new ArrayList<>();
    do {
      Token t = peek();
      if (t.kind() != Token.Kind.STRING) {
        throw error("expected " + what + ", found " + t.describe(), t);
      }
      pos++;
      texts.add(t.text());
    } while (acceptSymbol(","));
    symbol(")");
    return texts;
  }

  private List<String> qualifiedName(String what) {
    List<String> parts = new ArrayList<>();
    parts.add(identifier(what));
    while (acceptSymbol(".")) {
      parts.add(identifier(what));
    }
    return parts;
  }

  private String identifier(String what) {
    Token t = peek();
    if (!t.isIdentifier()) {
      throw error("expected " + what + ", found " + t.describe(), t);
    }
    pos++;
    return t.text();
  }

  private void keyword(String keyword) {
    Token t = peek();
    if (!t.isKeyword(keyword)) {
      throw error("expected " + keyword + ", found " + t.describe(), t);
    }
    pos++;
  }

  private boolean acceptKeyword(String keyword) {
    if (peek().isKeyword(keyword)) {
      pos++;
      return true;
    }
    return false;
  }

  private void symbol(String symbol) {
    Token t = peek();
    if (!t.isSymbol(symbol)) {
      throw error("expected '" + symbol + "', found " + t.describe(), t);
    }
    pos++;
  }

  private boolean acceptSymbol(String symbol) {
    if (peek().isSymbol(symbol)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expectEnd() {
    Token t = peek();
    if (t.kind() != Token.Kind.END) {
      throw error("unexpected " + t.describe() + " after the end of the statement", t);
    }
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private SyntaxError error(String problem, Token at) {
    return new SyntaxError(problem, sql, at.offset());
  }
}
