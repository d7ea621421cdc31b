import * as vscode from 'vscode';
import { optionTexts } from './presentation/optionText';
import type { CompareStrings, GenerateStrings, PlayerStrings } from '../webview/strings';

/**
 * The webviews' text, localized here because only the host has `vscode.l10n`. Each call takes its
 * English string literally so the l10n tooling can extract it; `{0}` placeholders are left for the
 * webview to fill.
 */
export function generateStrings(): GenerateStrings {
  const t = vscode.l10n.t;
  const options = optionTexts(t);
  return {
    noKeyBanner: t('No Kie.ai API key is set. Generating videos needs one.'),
    setApiKey: t('Set API Key'),
    balance: t('Balance: {0} credits'),
    creditsLoading: t('Balance: loading…'),
    balanceUnknown: t('Balance: unknown'),
    refreshCredits: t('Refresh credits'),
    prompt: t('Prompt'),
    promptPlaceholder: t('Describe the video: subject, action, setting, camera, light…'),
    optional: t('(optional)'),
    required: t('Required'),
    model: t('Model'),
    modelName: t('{0} · {1}'),
    costWithNote: t('{0}. {1}'),
    kindText: t('text to video'),
    kindImage: t('image to video'),
    kindFrames: t('first and last frame'),
    kindReference: t('reference images'),
    retiredSuffix: t('retired'),
    unavailableSuffix: t('unavailable'),
    healthSuffix: t('⚠ {0} % succeed'),
    retiredNote: t('{0} is retired: Kie no longer serves it, so it cannot make new videos.'),
    unavailableNote: t('Kie reported {0} as unavailable. Choose another model.'),
    healthNote: t('Only {1} % of recent {0} tasks succeeded on Kie.'),
    droppedNote: t('Not kept for {0}: {1}.'),
    replacedNote: t('{0} is not available on Kie, so the form opened {1} with everything that still applies.'),
    useModel: t('Use {0}'),
    catalogLive: t('Models from Kie’s live catalog'),
    catalogCached: t('Models from Kie’s catalog as of {0}'),
    catalogBundled: t('Models bundled with the extension (Kie’s catalog could not be reached)'),
    ageMinutes: t('{0} min ago'),
    ageHours: t('{0} h ago'),
    ageDays: t('{0} days ago'),
    aspect: t('Aspect ratio'),
    duration: t('Duration'),
    resolution: t('Resolution'),
    audio: t('Generate audio'),
    seed: t('Seed'),
    negative: t('Negative prompt'),
    seconds: t('{0} s'),
    valueMeans: t('{0} ({1})'),
    range: t('{0}–{1}'),
    rangeSeconds: t('{0}–{1} s'),
    choose: t('Choose…'),
    modelDefault: t('Model default'),
    firstFrame: t('First frame'),
    lastFrame: t('Last frame'),
    references: t('Reference images'),
    referencesUpTo: t('{0} (up to {1})'),
    dropHint: t('Drop a PNG, JPEG or WebP image here from the Explorer (hold Shift while dragging).'),
    chooseImage: t('Choose Image…'),
    pathPlaceholder: t('images/start.png'),
    pathLabel: t('Workspace path of the {0} image'),
    addPath: t('Add'),
    removeImage: t('Remove {0}'),
    imagePreview: t('Preview of {0}'),
    imageTooLarge: t('The image is larger than {0}.'),
    dropNotFromEditor: t('Drop the image from the VS Code Explorer, or use Choose Image.'),
    variants: t('Variants'),
    variantsHint: t('Each variant is a separate task of the same inputs, charged in full.'),
    creditsApprox: t('≈ {0} credits'),
    creditsPerSecond: t('{0} credits per second'),
    creditsTimes: t('≈ {0} credits ({1} × {2})'),
    priceChecked: t('Price rule checked on {0}; Kie’s price list is the authority.'),
    kiePricing: t('Kie’s price: “{0}”'),
    priceUnknown: t('Price: see Kie’s price list'),
    submit: t('Generate Video'),
    submitMany: t('Generate {0} Videos'),
    submitting: t('Submitting…'),
    submitted: t('Submitted (task ID {0}). Progress shows in the Sora view.'),
    submittedMany: t('Submitted {0} tasks. Progress shows in the Sora view.'),
    fixFields: t('Check the highlighted fields.'),
    savePromptFile: t('Save as Prompt File'),
    optionLabels: options.labels,
    optionHints: options.hints,
    valueLabels: options.values,
    kieDescription: t('Kie: “{0}”'),
    displayLanguage: vscode.env.language,
  };
}

/** `inWorkspace`: the video lies in an open folder, so Reveal shows it in VS Code's Explorer view. */
export function playerStrings(inWorkspace: boolean): PlayerStrings {
  const t = vscode.l10n.t;
  return {
    videoLabel: t('Generated video'),
    prompt: t('Prompt'),
    model: t('Model'),
    settings: t('Generation Settings'),
    reveal: inWorkspace ? t('Reveal in Explorer View') : revealLabel(),
    openExternal: t('Open with System Player'),
    copyPrompt: t('Copy Prompt'),
    copied: t('Prompt copied.'),
    generateAgain: t('Generate Again with These Settings'),
    silentPreview: t('The audio of this video is AAC, which VS Code cannot play, so this preview is silent. Open it with the system player to hear the sound, or install ffmpeg to make an audible preview here.'),
    silentPreviewAudible: t('The audio of this video is AAC, which VS Code cannot play, so this preview is silent. An audible preview copies the picture as it is and converts the sound to Opus, in the extension\'s cache; your file is not changed.'),
    makeAudible: t('Make an Audible Preview'),
    makingAudible: t('Making the audible preview…'),
    audibleReady: t('Playing the audible preview: the same picture, with the sound converted to Opus. The original file is unchanged.'),
    videoError: t('The video cannot be played here: the file may be missing or in a format VS Code does not support.'),
    creditsUsed: t('{0} credits used'),
    generatedIn: t('generated in {0}'),
    noOrigin: t('No Sora sidecar (.json) was found next to this video, so its prompt and settings are unknown.'),
    continueFromLastFrame: t('Continue from Last Frame'),
    takingFrame: t('Taking the last frame…'),
  };
}

export function compareStrings(): CompareStrings {
  const t = vscode.l10n.t;
  return {
    play: t('Play'),
    pause: t('Pause'),
    position: t('Position'),
    seed: t('Seed {0}'),
    seedUnknown: t('Seed unknown'),
    credits: t('{0} credits'),
    keep: t('Keep This One'),
    keeping: t('Keeping…'),
    kept: t('✓ Kept'),
    listen: t('Listen to This One'),
    listening: t('Sound from this one'),
    videoError: t('This video cannot be played here.'),
  };
}

/** The words each OS's own "show the file" command uses. */
function revealLabel(): string {
  switch (process.platform) {
    case 'darwin':
      return vscode.l10n.t('Reveal in Finder');
    case 'win32':
      return vscode.l10n.t('Reveal in File Explorer');
    default:
      return vscode.l10n.t('Open Containing Folder');
  }
}
