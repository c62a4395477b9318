/**
 * What each domain library and app does across its boundary, read from its source (syntax, not file names, so it
 * holds wherever a file moves):
 * - provides: `{ provide: TOKEN, useClass | useExisting | useFactory | useValue }` with a service-api token;
 * - injects: a service-api token in `@Inject(TOKEN)`, a provider's `inject: [TOKEN]`, or `x.get(TOKEN)` /
 *   `x.resolve(TOKEN)` (an app resolving a service from its context); its own tokens do not count;
 * - publishes: an event contract passed to `x.append(...)` (the outbox) or to `newEvent(...)`;
 * - consumes: the event contract that is the first argument of `on(...)`, of a function made by `handlersIn()`, or of
 *   any call inside an `@EventSubscriber()` class (`notifyOn(contract, ...)`) other than `x.append(...)`;
 * - controllers (`@Controller()` classes, their routes are read at runtime), subscribers with their consumer name,
 *   and schedules: `RepeatingJob` subclasses (their `super(settings, { schedulerId, everyMs, ... })`) and
 *   `new Poller({ name, intervalMs })` timers.
 */
import ts from 'typescript';
import { declarationKey, unwrap } from './source-index.mjs';
import { isApp, isDomain, isSharedLib, sourceFilesOf } from './workspace.mjs';

/**
 * @typedef {{ file: string, line: number }} Place
 * @typedef {Place & { token: string, implementation: string }} Provided
 * @typedef {Place & { token: string }} Injected
 * @typedef {Place & { event: string }} Published
 * @typedef {Place & { event: string, subscriber: string | null, consumer: string | null }} Consumed
 * @typedef {Place & { className: string, consumer: string | null }} Subscriber
 * @typedef {{ className: string, file: string, absoluteFile: string }} ControllerRef
 * @typedef {Place & { kind: 'repeating job' | 'timer', className: string | null, name: string, every: string, queue: string | null }} Schedule
 * @typedef {{ project: string, provides: Provided[], injects: Injected[], publishes: Published[], consumes: Consumed[],
 *   subscribers: Subscriber[], controllers: ControllerRef[], schedules: Schedule[], dependsOn: string[] }} ModuleFacts
 */

/** The projects whose boundary is documented and checked: domain libraries and apps. */
export const hasModuleFacts = (project) => isDomain(project) || isApp(project);

/**
 * @param {import('./workspace.mjs').Workspace} workspace
 * @param {ReturnType<import('./source-index.mjs').createSourceIndex>} index
 * @param {import('./contract-catalog.mjs').ContractCatalog} catalog
 * @returns {Map<string, ModuleFacts>} by project name, for every domain library and app
 */
export function collectModuleFacts(workspace, index, catalog) {
  const result = new Map();
  for (const project of workspace.projects.filter(hasModuleFacts)) {
    const facts = { project: project.name, provides: [], injects: [], publishes: [], consumes: [], subscribers: [], controllers: [], schedules: [], dependsOn: new Set() };
    for (const file of sourceFilesOf(project)) collectFileFacts(workspace, index, catalog, project, file, facts);
    const ownTokens = new Set(facts.provides.map((p) => p.token));
    facts.injects = facts.injects.filter((use) => !ownTokens.has(use.token));
    result.set(project.name, { ...facts, dependsOn: [...facts.dependsOn].sort() });
  }
  return result;
}

function collectFileFacts(workspace, index, catalog, project, file, facts) {
  const { sf } = index.parse(file);
  const rel = workspace.rel(file);
  const place = (node) => ({ file: rel, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  const resolve = (node) => index.resolveExpression(file, node);
  const keyOf = (node) => {
    const declaration = resolve(node);
    return declaration && declarationKey(declaration, workspace.rel);
  };
  const tokenOf = (node) => catalog.tokens.get(keyOf(node))?.name;
  const eventOf = (node) => catalog.events.get(keyOf(node))?.name;
  const sharedNamed = (declaration, name) => declaration?.name === name && 'file' in declaration && isSharedLib(workspace.projectOf(declaration.file));
  const nestNamed = (declaration, name) => declaration?.name === name && 'module' in declaration && declaration.module.startsWith('@nestjs/');
  const isHandlerFactory = (callee) => {
    const declaration = resolve(callee);
    if (sharedNamed(declaration, 'on')) return true;
    const node = index.declarationNode(declaration);
    const init = node && ts.isVariableDeclaration(node) ? unwrap(node.initializer) : undefined;
    return !!init && ts.isCallExpression(init) && sharedNamed(index.resolveExpression(declaration.file, init.expression), 'handlersIn');
  };
  /** A constant's value as text: a string literal's value, a const's initializer (followed), else the expression's text. */
  const constantText = (node) => {
    const expression = unwrap(node);
    if (ts.isStringLiteralLike(expression)) return expression.text;
    const declaration = ts.isIdentifier(expression) ? resolve(expression) : undefined;
    const declared = index.declarationNode(declaration);
    if (declared && ts.isVariableDeclaration(declared) && declared.initializer) {
      const initializer = unwrap(declared.initializer);
      if (ts.isStringLiteralLike(initializer)) return initializer.text;
      if (ts.isNumericLiteral(initializer) || ts.isBinaryExpression(initializer)) return initializer.getText();
    }
    return expression.getText(sf);
  };
  const optionsOf = (objectLiteral) =>
    new Map(
      (objectLiteral?.properties ?? [])
        .filter((p) => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)))
        .map((p) => [p.name.text, p.initializer]),
    );

  for (const statement of sf.statements) {
    if ((ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
      const target = index.resolveModule(file, statement.moduleSpecifier.text);
      const owner = target && workspace.projectOf(target);
      if (owner && owner.name !== project.name) facts.dependsOn.add(owner.name);
    }
  }

  /** @param {ts.Node} node @param {{ subscriber?: { className: string, consumer: string | null }, repeatingJob?: string, className?: string }} context */
  const visit = (node, context) => {
    if (ts.isClassDeclaration(node) && node.name) {
      const className = node.name.text;
      const decorators = (ts.getDecorators(node) ?? []).map((d) => unwrap(d.expression)).filter((e) => ts.isCallExpression(e)).map((e) => resolve(e.expression));
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      const inner = { className };
      if (decorators.some((d) => nestNamed(d, 'Controller'))) facts.controllers.push({ className, file: rel, absoluteFile: file });
      if (decorators.some((d) => sharedNamed(d, 'EventSubscriber'))) {
        const consumerProperty = node.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText(sf) === 'consumer');
        const consumer = consumerProperty?.initializer && ts.isStringLiteralLike(consumerProperty.initializer) ? consumerProperty.initializer.text : null;
        inner.subscriber = { className, consumer };
        facts.subscribers.push({ className, consumer, ...place(node) });
      }
      if (base && sharedNamed(resolve(base), 'RepeatingJob')) inner.repeatingJob = className;
      ts.forEachChild(node, (child) => visit(child, inner));
      return;
    }
    if (ts.isCallExpression(node)) visitCall(node, context);
    if (ts.isNewExpression(node) && sharedNamed(resolve(node.expression), 'Poller')) {
      const options = optionsOf(node.arguments?.find((a) => ts.isObjectLiteralExpression(a)));
      facts.schedules.push({
        kind: 'timer',
        className: context.className ?? null,
        name: options.has('name') ? constantText(options.get('name')) : '(unnamed)',
        every: options.has('intervalMs') ? constantText(options.get('intervalMs')) : '?',
        queue: null,
        ...place(node),
      });
    }
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
      if (node.name.text === 'provide') {
        const token = tokenOf(node.initializer);
        if (token) facts.provides.push({ token, implementation: implementationOf(node.parent, sf), ...place(node) });
      } else if (node.name.text === 'inject' && ts.isArrayLiteralExpression(node.initializer)) {
        for (const element of node.initializer.elements) {
          const token = tokenOf(element);
          if (token) facts.injects.push({ token, ...place(element) });
        }
      }
    }
    ts.forEachChild(node, (child) => visit(child, context));
  };

  const visitCall = (call, context) => {
    const callee = unwrap(call.expression);
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const [first] = call.arguments;
    if (callee.kind === ts.SyntaxKind.SuperKeyword && context.repeatingJob) {
      const options = optionsOf(call.arguments.find((a) => ts.isObjectLiteralExpression(a)));
      facts.schedules.push({
        kind: 'repeating job',
        className: context.repeatingJob,
        name: options.has('schedulerId') ? constantText(options.get('schedulerId')) : context.repeatingJob,
        every: options.has('everyMs') ? constantText(options.get('everyMs')) : '?',
        queue: options.has('queue') ? constantText(options.get('queue')) : null,
        ...place(call),
      });
      return;
    }
    if (nestNamed(resolve(callee), 'Inject') || method === 'get' || method === 'resolve') {
      const token = first && tokenOf(first);
      if (token) facts.injects.push({ token, ...place(call) });
      return;
    }
    if (method === 'append' || sharedNamed(resolve(callee), 'newEvent')) {
      for (const arg of call.arguments) {
        const event = eventOf(arg);
        if (event) facts.publishes.push({ event, ...place(arg) });
      }
      return;
    }
    const event = first && eventOf(first);
    if (event && (context.subscriber || isHandlerFactory(callee))) {
      facts.consumes.push({ event, subscriber: context.subscriber?.className ?? null, consumer: context.subscriber?.consumer ?? null, ...place(first) });
    }
  };

  visit(sf, {});
}

function implementationOf(objectLiteral, sf) {
  for (const property of objectLiteral.properties ?? []) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) continue;
    const name = property.name.getText(sf);
    if (name === 'useClass' || name === 'useExisting') return ts.isPropertyAssignment(property) ? property.initializer.getText(sf) : name;
    if (name === 'useFactory') return '(factory)';
    if (name === 'useValue') return '(value)';
  }
  return '?';
}
