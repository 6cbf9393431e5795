import * as vscode from 'vscode';

export interface PickStepItem {
  id: string;
  label: string;
  description?: string;
  detail?: string;
  picked: boolean;
}

export type Step =
  | { kind: 'pick'; key: string; placeholder: string; items: PickStepItem[] }
  | { kind: 'input'; key: string; prompt: string; value: string; validate: (value: string) => string | undefined };

/** Answers by step key: the ids picked (a pick step) or the text entered (an input step). */
export type StepAnswers = Record<string, string[] | string>;

/**
 * Runs steps in one quick input with "step i of n" and a Back button, as VS Code's multi-step
 * sample does. A pick step is multi-select and must keep at least one item. Resolves undefined when
 * the user escapes; an answer given once is kept when the user goes back and forth.
 */
export async function askSteps(title: string, steps: readonly Step[]): Promise<StepAnswers | undefined> {
  const answers: StepAnswers = {};
  let i = 0;
  while (i < steps.length) {
    const step = steps[i]!;
    const result = step.kind === 'pick' ? await pickStep(title, step, i, steps.length, answers[step.key] as string[] | undefined) : await inputStep(title, step, i, steps.length, answers[step.key] as string | undefined);
    if (result === 'cancel') return undefined;
    if (result === 'back') {
      i = Math.max(0, i - 1);
      continue;
    }
    answers[step.key] = result;
    i++;
  }
  return answers;
}

type StepResult<T> = T | 'back' | 'cancel';

function pickStep(title: string, step: Extract<Step, { kind: 'pick' }>, index: number, total: number, previous: string[] | undefined): Promise<StepResult<string[]>> {
  return new Promise((resolve) => {
    const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { id: string }>();
    const subs: vscode.Disposable[] = [qp];
    const done = settleOnce(resolve, subs);
    qp.title = title;
    qp.step = index + 1;
    qp.totalSteps = total;
    qp.placeholder = step.placeholder;
    qp.canSelectMany = true;
    qp.ignoreFocusOut = true;
    qp.matchOnDescription = true;
    qp.items = step.items.map((it) => ({ id: it.id, label: it.label, description: it.description, detail: it.detail }));
    const wanted = new Set(previous ?? step.items.filter((it) => it.picked).map((it) => it.id));
    qp.selectedItems = qp.items.filter((it) => wanted.has(it.id));
    if (index > 0) qp.buttons = [vscode.QuickInputButtons.Back];
    subs.push(
      qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
      qp.onDidAccept(() => {
        if (qp.selectedItems.length === 0) {
          qp.placeholder = vscode.l10n.t('Pick at least one, or press Escape to stop.');
          return;
        }
        done(qp.selectedItems.map((it) => it.id));
      }),
      qp.onDidChangeSelection(() => (qp.placeholder = step.placeholder)),
      qp.onDidHide(() => done('cancel')),
    );
    qp.show();
  });
}

function inputStep(title: string, step: Extract<Step, { kind: 'input' }>, index: number, total: number, previous: string | undefined): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const subs: vscode.Disposable[] = [box];
    const done = settleOnce(resolve, subs);
    box.title = title;
    box.step = index + 1;
    box.totalSteps = total;
    box.prompt = step.prompt;
    box.value = previous ?? step.value;
    box.ignoreFocusOut = true;
    if (index > 0) box.buttons = [vscode.QuickInputButtons.Back];
    subs.push(
      box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
      box.onDidChangeValue((v) => (box.validationMessage = step.validate(v))),
      box.onDidAccept(() => {
        const problem = step.validate(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        done(box.value);
      }),
      box.onDidHide(() => done('cancel')),
    );
    box.show();
  });
}

/** The first answer resolves the step and disposes its input; later ones (the hide that disposing fires) are ignored. */
function settleOnce<T>(resolve: (r: T) => void, subs: vscode.Disposable[]): (r: T) => void {
  let settled = false;
  return (r) => {
    if (settled) return;
    settled = true;
    resolve(r);
    subs.forEach((d) => d.dispose());
  };
}
