import { useAuth } from 'wasp/client/auth';
import { createTask, getAllTasksByUser, useQuery } from 'wasp/client/operations';
import { Link } from 'wasp/client/router';

export function DemoAppPage() {
  const { data: user } = useAuth();
  const { data: tasks } = useQuery(getAllTasksByUser);
  return (
    <main>
      {/* open-saas's user-level fields stay the app's; the plugin keeps billing on the workspace (/billing) */}
      <p>
        {user?.email}: {user?.subscriptionStatus ?? 'no subscription'} ({user?.credits} credits) - <Link to="/billing">Billing</Link>
      </p>
      <button type="button" onClick={() => void createTask({ description: 'A new task' })}>
        Add a task
      </button>
      <ul>{tasks?.map((task) => <li key={task.id}>{task.description}</li>)}</ul>
    </main>
  );
}
