import type { components } from './schema';

type S = components['schemas'];
export type User = S['User'];
export type CurrentUser = S['CurrentUser'];
export type Guild = S['Guild'];
export type Channel = S['Channel'];
export type Member = S['Member'];
export type Role = S['Role'];
export type Message = S['Message'];
export type InstanceInfo = S['InstanceInfo'];
export type AuthResponse = S['AuthResponse'];
export type LoginRequest = S['LoginRequest'];
export type RegisterRequest = S['RegisterRequest'];
export type CreateGuild = S['CreateGuild'];
export type UserGuild = S['UserGuild'];
