/** The reactions offered without opening the picker (fully qualified, as the server stores them). */
export const QUICK_REACTIONS = ['👍', '❤️', '😂'] as const;

/** The small picker shown until (or besides) the full emoji picker: common reactions. */
export const COMMON_REACTIONS = ['👍', '👎', '❤️', '😂', '😮', '😢', '😡', '🎉', '🙏', '👀', '🔥', '✅', '❌', '💯', '🤔', '👏', '🚀', '😍', '😅', '🙌', '💀', '🤝', '⭐', '👋'] as const;
