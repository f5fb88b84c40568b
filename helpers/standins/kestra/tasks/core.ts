/**
 * Core runnable tasks with no I/O: Log, OutputValues, Return, Fail. Each returns its outputs, or
 * throws a TaskFailure (the task run's ERROR log line).
 */
import type { LogLevel } from '../model.js';
import { isTruthy, renderDeep, renderText } from '../render.js';
import { TaskFailure, type TaskContext } from './context.js';

export const CORE_TASKS: Record<string, (ctx: TaskContext) => Record<string, unknown> | null> = {
  'io.kestra.plugin.core.log.Log': (ctx) => {
    const props = ctx.task.props;
    const renderScope = ctx.render();
    const level = renderText(props.level ?? 'INFO', renderScope) as LogLevel;
    if (!['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'].includes(level)) throw new TaskFailure(`Invalid log level '${level}'`);
    const messages = Array.isArray(props.message) ? props.message : [props.message];
    for (const m of messages) ctx.log(level, renderText(m, renderScope));
    return null;
  },
  'io.kestra.plugin.core.output.OutputValues': (ctx) => ({ values: renderDeep(ctx.task.props.values ?? {}, ctx.render()) }),
  'io.kestra.plugin.core.debug.Return': (ctx) => (ctx.task.props.format === undefined ? {} : { value: renderText(ctx.task.props.format, ctx.render()) }),
  'io.kestra.plugin.core.execution.Fail': (ctx) => {
    const props = ctx.task.props;
    const renderScope = ctx.render();
    if (props.condition !== undefined && !isTruthy(renderText(props.condition, renderScope))) return null;
    throw new TaskFailure(props.errorMessage === undefined ? 'Task failure' : renderText(props.errorMessage, renderScope));
  },
};
