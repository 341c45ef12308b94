/** The name the reply bar shows: the replied message's author as this guild knows them. */
import { displayName, type ChatState } from '../stores/chat';

/** Null when the message is not cached (the bar then says "Replying to a message"). */
export function repliedAuthorName(state: ChatState, channelId: string, guildId: string | null, replyId: string | null): string | null {
  const replied = replyId ? state.messages[channelId]?.find((m) => m.id === replyId) : undefined;
  if (!replied) return null;
  const member = guildId ? state.members[guildId]?.[replied.author.id] : undefined;
  return member ? displayName(member) : (replied.author.global_name ?? replied.author.username);
}
