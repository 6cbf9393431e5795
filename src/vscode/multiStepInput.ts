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
    frame(qp, title, index, total, done, subs);
    qp.placeholder = step.placeholder;
    qp.canSelectMany = true;
    qp.matchOnDescription = true;
    qp.items = step.items.map((it) => ({ id: it.id, label: it.label, description: it.description, detail: it.detail }));
    const wanted = new Set(previous ?? step.items.filter((it) => it.picked).map((it) => it.id));
    qp.selectedItems = qp.items.filter((it) => wanted.has(it.id));
    subs.push(
      qp.onDidAccept(() => {
        if (qp.selectedItems.length === 0) {
          qp.placeholder = vscode.l10n.t('Pick at least one, or press Escape to stop.');
          return;
        }
        done(qp.selectedItems.map((it) => it.id));
      }),
      qp.onDidChangeSelection(() => (qp.placeholder = step.placeholder)),
    );
    qp.show();
  });
}

function inputStep(title: string, step: Extract<Step, { kind: 'input' }>, index: number, total: number, previous: string | undefined): Promise<StepResult<string>> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    const subs: vscode.Disposable[] = [box];
    const done = settleOnce(resolve, subs);
    frame(box, title, index, total, done, subs);
    box.prompt = step.prompt;
    box.value = previous ?? step.value;
    subs.push(
      box.onDidChangeValue((v) => (box.validationMessage = step.validate(v))),
      box.onDidAccept(() => {
        const problem = step.validate(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        done(box.value);
      }),
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

/** What every step shares: the title with "step i of n", staying open on focus loss, Back (after the first), and hiding as cancel. */
function frame(input: vscode.QuickInput & { buttons: readonly vscode.QuickInputButton[]; onDidTriggerButton: vscode.Event<vscode.QuickInputButton> }, title: string, index: number, total: number, done: (r: 'back' | 'cancel') => void, subs: vscode.Disposable[]): void {
  input.title = title;
  input.step = index + 1;
  input.totalSteps = total;
  input.ignoreFocusOut = true;
  if (index > 0) input.buttons = [vscode.QuickInputButtons.Back];
  subs.push(
    input.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
    input.onDidHide(() => done('cancel')),
  );
}
