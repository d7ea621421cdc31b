/**
 * The strings each webview shows. The host fills them with `vscode.l10n.t` and passes them in the page;
 * templates keep `{0}`-style placeholders that the webview fills.
 */
export interface GenerateStrings {
  noKeyBanner: string;
  setApiKey: string;
  balance: string;
  creditsLoading: string;
  balanceUnknown: string;
  refreshCredits: string;
  prompt: string;
  promptPlaceholder: string;
  optional: string;
  required: string;
  model: string;
  modelName: string;
  /** `{0}`: the cost, `{1}`: how it was priced. */
  costWithNote: string;
  kindText: string;
  kindImage: string;
  kindFrames: string;
  kindReference: string;
  retiredSuffix: string;
  unavailableSuffix: string;
  healthSuffix: string;
  retiredNote: string;
  unavailableNote: string;
  healthNote: string;
  droppedNote: string;
  replacedNote: string;
  useModel: string;
  catalogLive: string;
  catalogCached: string;
  catalogBundled: string;
  ageMinutes: string;
  ageHours: string;
  ageDays: string;
  aspect: string;
  duration: string;
  resolution: string;
  audio: string;
  seed: string;
  negative: string;
  seconds: string;
  valueMeans: string;
  range: string;
  rangeSeconds: string;
  choose: string;
  modelDefault: string;
  firstFrame: string;
  lastFrame: string;
  references: string;
  referencesUpTo: string;
  dropHint: string;
  chooseImage: string;
  pathPlaceholder: string;
  pathLabel: string;
  addPath: string;
  removeImage: string;
  imagePreview: string;
  imageTooLarge: string;
  dropNotFromEditor: string;
  variants: string;
  variantsHint: string;
  creditsApprox: string;
  creditsPerSecond: string;
  creditsTimes: string;
  priceChecked: string;
  kiePricing: string;
  priceUnknown: string;
  submit: string;
  submitMany: string;
  submitting: string;
  submitted: string;
  submittedMany: string;
  fixFields: string;
  savePromptFile: string;
  /** Model-own fields by Kie's schema name, and word values by `concept=value` or `field=value`. */
  optionLabels: Record<string, string>;
  optionHints: Record<string, string>;
  valueLabels: Record<string, string>;
  /** Template: {0} is a live schema's description of a field, quoted as Kie's. */
  kieDescription: string;
  /** VS Code's display language, for numbers: the webview's own locale is the browser's. */
  displayLanguage: string;
}

export interface PlayerStrings {
  videoLabel: string;
  prompt: string;
  model: string;
  settings: string;
  reveal: string;
  openExternal: string;
  copyPrompt: string;
  copied: string;
  generateAgain: string;
  silentPreview: string;
  silentPreviewAudible: string;
  makeAudible: string;
  makingAudible: string;
  audibleReady: string;
  videoError: string;
  /** Template: {0} is the credits the task consumed. */
  creditsUsed: string;
  /** Template: {0} is how long generation took. */
  generatedIn: string;
  noOrigin: string;
  continueFromLastFrame: string;
  takingFrame: string;
}

export interface CompareStrings {
  play: string;
  pause: string;
  position: string;
  /** Template: {0} is the seed. */
  seed: string;
  seedUnknown: string;
  /** Template: {0} is the credits the take consumed. */
  credits: string;
  keep: string;
  keeping: string;
  kept: string;
  listen: string;
  listening: string;
  videoError: string;
}
