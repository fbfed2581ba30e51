package dev.lancet.spark.sql.exec;

import dev.lancet.spark.functions.ExplodeFunction;
import dev.lancet.spark.functions.TableFunctions;
import dev.lancet.spark.sql.plans.CreateTableFunction;
import dev.lancet.udf.ErrorCode;
import dev.lancet.udf.LancetException;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Registers a 1:N UDF under a short name in the session's table functions, after checking the class
 * and its options here, so a bad definition fails at CREATE, not at its first use.
 */
final class CreateTableFunctionExec extends LancetCommandExec<CreateTableFunction> {
  CreateTableFunctionExec(SparkSession spark, CreateTableFunction plan) {
    super(spark, plan);
  }

  @Override
  protected List<InternalRow> runCommand() {
    TableFunctionRegistry registry = spark.sessionState().tableFunctionRegistry();
    FunctionIdentifier id = FunctionIdentifier.apply(plan.name());
    if (!plan.replace() && registry.functionExists(id)) {
      throw new LancetException(
          ErrorCode.LANCET_UDF_INVALID,
          "table function '"
              + plan.name()
              + "' already exists; write CREATE OR REPLACE TEMPORARY TABLE FUNCTION to replace it");
    }
    String columns = ExplodeFunction.check(plan.udfClass(), plan.options()).rows().simpleString();
    TableFunctions.register(
        spark, plan.name(), new TableFunctions.Definition(plan.udfClass(), plan.options()));
    return List.of(
        new GenericInternalRow(
            new Object[] {
              UTF8String.fromString(plan.name()),
              UTF8String.fromString(plan.udfClass()),
              UTF8String.fromString(columns)
            }));
  }
}
