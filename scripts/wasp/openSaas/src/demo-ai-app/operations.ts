import type { Task } from 'wasp/entities';
import { HttpError } from 'wasp/server';
import type { CreateTask, GetAllTasksByUser } from 'wasp/server/operations';

// The app's own operations, on Wasp's entities (Prisma 5), beside the plugin's.
export const getAllTasksByUser: GetAllTasksByUser<void, Task[]> = async (_args, context) => {
  if (!context.user) throw new HttpError(401);
  return context.entities.Task.findMany({ where: { userId: context.user.id }, orderBy: { createdAt: 'desc' } });
};

export const createTask: CreateTask<{ description: string }, Task> = async ({ description }, context) => {
  if (!context.user) throw new HttpError(401);
  return context.entities.Task.create({ data: { description, userId: context.user.id } });
};
