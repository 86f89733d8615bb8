import { Button } from "./button";
import { Alert } from "./card";

/** What a page shows when its data could not be loaded, with a retry. */
export function QueryError({ title, error, onRetry }: { title: string; error: Error; onRetry: () => void }) {
  return (
    <Alert kind="error" title={title}>
      <p>{error.message}</p>
      <Button variant="secondary" className="mt-2" onClick={onRetry}>
        Erneut versuchen
      </Button>
    </Alert>
  );
}
