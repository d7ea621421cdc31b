import * as vscode from 'vscode';
import type { CompareStrings, GenerateStrings, PlayerStrings } from '../webview/strings';

/**
 * The webviews' text, localized here because only the host has `vscode.l10n`. Each call takes its
 * English string literally so the l10n tooling can extract it; `{0}` placeholders are left for the
 * webview to fill.
 */
export function generateStrings(): GenerateStrings {
  const t = vscode.l10n.t;
  return {
    noKeyBanner: t('No Kie.ai API key is set. Generating videos needs one.'),
    setApiKey: t('Set API Key'),
    credits: t('Credits: {0}'),
    creditsLoading: t('Credits: loading…'),
    creditsUnknown: t('Credits: unknown'),
    refreshCredits: t('Refresh credits'),
    prompt: t('Prompt'),
    promptPlaceholder: t('Describe the video: subject, action, setting, camera, light…'),
    promptRequired: t('Write a prompt describing the video.'),
    promptTooLong: t('The prompt has {0} characters; this model accepts at most {1}.'),
    model: t('Model'),
    retiring: t('{0} (retiring)'),
    retiredWithAlternative: t('{0} Suggested alternative: {1}.'),
    useAlternative: t('Use {0}'),
    aspectRatio: t('Aspect ratio'),
    landscape: t('Landscape (16:9)'),
    portrait: t('Portrait (9:16)'),
    duration: t('Duration'),
    seconds: t('{0} seconds'),
    fixedDuration: t('{0} seconds (fixed for this model)'),
    size: t('Size'),
    sizeStandard: t('Standard (about 720p)'),
    sizeHigh: t('High (about 1080p)'),
    removeWatermark: t('Remove watermark'),
    imageRequired: t('Source image (required)'),
    imageOptional: t('Source image (optional)'),
    imageMissing: t('This model starts from an image: choose a PNG, JPEG or WebP file.'),
    imageTooLarge: t('The image is larger than {0}.'),
    dropHint: t('Drop a PNG, JPEG or WebP image here (hold Shift while dragging from the Explorer), or choose one with the button below:'),
    dropNotFromEditor: t('Drop the image from the VS Code Explorer, or use Choose Image.'),
    chooseImage: t('Choose Image…'),
    changeImage: t('Change…'),
    removeImage: t('Remove'),
    imagePreview: t('Preview of {0}'),
    costHint: t('Estimated cost: about {0} credits'),
    costUnknown: t('Estimated cost: see Kie’s price list'),
    submit: t('Generate Video'),
    submitting: t('Submitting…'),
    submitted: t('Submitted (task ID {0}). Progress shows in the Sora view.'),
    fixFields: t('Check the highlighted fields.'),
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
