/**
 * The strings each webview shows. The host fills them with `vscode.l10n.t` and passes them in the page;
 * templates keep `{0}`-style placeholders that the webview fills.
 */
export interface GenerateStrings {
  noKeyBanner: string;
  setApiKey: string;
  credits: string;
  creditsLoading: string;
  creditsUnknown: string;
  refreshCredits: string;
  prompt: string;
  promptPlaceholder: string;
  promptRequired: string;
  promptTooLong: string;
  model: string;
  /** `{0}`: the model's name. */
  retiring: string;
  /** `{0}`: the retirement note, `{1}`: the suggested model. */
  retiredWithAlternative: string;
  useAlternative: string;
  aspectRatio: string;
  landscape: string;
  portrait: string;
  duration: string;
  seconds: string;
  fixedDuration: string;
  size: string;
  sizeStandard: string;
  sizeHigh: string;
  removeWatermark: string;
  imageRequired: string;
  imageOptional: string;
  imageMissing: string;
  imageTooLarge: string;
  dropHint: string;
  dropNotFromEditor: string;
  chooseImage: string;
  changeImage: string;
  removeImage: string;
  imagePreview: string;
  costHint: string;
  costUnknown: string;
  submit: string;
  submitting: string;
  submitted: string;
  fixFields: string;
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
