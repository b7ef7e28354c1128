import type { Connection, Model, Schema } from 'mongoose';

/** Models live on a given connection, never on the mongoose global, so tools and tests can hold several. */
export function modelOn<T>(connection: Connection, name: string, schema: Schema<T>): Model<T> {
  const existing = connection.models[name] as Model<T> | undefined;
  return existing ?? (connection.model(name, schema) as unknown as Model<T>);
}
