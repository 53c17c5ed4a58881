// Generated from apps/api/openapi.json by openapi-typescript: do not edit by hand.
// Regenerate with `npm run openapi` after changing a controller or DTO of the management API.

export interface paths {
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user; for a personal access token, also its scope */
        get: operations["Account_profile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Change the password
         * @description Ends every session of the user, this one included (sign in again with the new password), and every refresh token (docker logins).
         */
        put: operations["Account_changePassword"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** My personal access tokens, with their last use (never their secrets) */
        get: operations["Account_listTokens"];
        put?: never;
        /** Create a personal access token; its secret is in this answer only */
        post: operations["Account_createToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke one of my personal access tokens, at once */
        delete: operations["Account_revokeToken"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Organizations the caller may see (public ones, those where they hold a role; every one for system administrators), by name */
        get: operations["Organizations_list"];
        put?: never;
        /** Create an organization; the caller becomes its admin */
        post: operations["Organizations_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An organization (anyone who may see it) */
        get: operations["Organizations_get"];
        put?: never;
        post?: never;
        /** Delete an organization (organization admins); refused while it holds repositories unless force=true. The name is free again, and whoever takes it inherits nothing */
        delete: operations["Organizations_delete"];
        options?: never;
        head?: never;
        /** Change visibility or description (organization admins; maintainers may not, GHSA-hw28-333w-qxp3) */
        patch: operations["Organizations_update"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Direct members by name (guests and above) */
        get: operations["Members_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/members/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add a member or change their role (organization admins); 409 when it would demote the last admin */
        put: operations["Members_set"];
        post?: never;
        /** Remove a member (organization admins); registry tokens already issued expire within their lifetime; 409 for the last admin */
        delete: operations["Members_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/robots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Robot accounts by name (guests and above); never a secret */
        get: operations["Robots_list"];
        put?: never;
        /** Create a robot account (organization admins, with permissions they hold); its secret is shown this once */
        post: operations["Robots_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/robots/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a robot account (organization admins) */
        delete: operations["Robots_delete"];
        options?: never;
        head?: never;
        /** Change permissions, expiry, description, or disable (organization admins, with permissions they hold) */
        patch: operations["Robots_update"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/robots/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the secret (organization admins): the new one is shown this once, the old one stops working at once */
        post: operations["Robots_rotateSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/teams": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Teams by name (guests and above) */
        get: operations["Teams_list"];
        put?: never;
        /** Create a team (organization admins) */
        post: operations["Teams_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/teams/{teamId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a team (organization admins); its members keep only their own roles */
        delete: operations["Teams_delete"];
        options?: never;
        head?: never;
        /** Rename a team or change its role (organization admins) */
        patch: operations["Teams_update"];
        trace?: never;
    };
    "/api/v1/orgs/{org}/teams/{teamId}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A team's members (guests and above) */
        get: operations["Teams_members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/teams/{teamId}/members/{user}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Add a user to a team (organization admins) */
        put: operations["Teams_addMember"];
        post?: never;
        /** Remove a user from a team (organization admins) */
        delete: operations["Teams_removeMember"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/orgs/{org}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Storage used by the repositories of an organization (or personal namespace)
         * @description logicalBytes counts, in each repository, every blob it links once, and sums the repositories; deduplicatedBytes counts every distinct blob once, as it is stored; manifestBytes is the manifests themselves. Only the repositories the caller may read are counted: a non-member of a public organization gets the usage of its public repositories.
         */
        get: operations["Usage_organization"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the repositories the caller may see
         * @description Anonymous callers see public repositories; members also those of their organizations. Every repository that exists is listed, including one whose artifacts were all deleted (tagCount 0). Keyset-paged: pass nextCursor as cursor, with the same sort.
         */
        get: operations["Repositories_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One repository (who may read it) */
        get: operations["Repositories_get"];
        put?: never;
        post?: never;
        /**
         * Delete a repository with all its tags and manifests (maintainers and up)
         * @description Blobs stay stored while other repositories link them; uploads in progress are cancelled.
         */
        delete: operations["Repositories_delete"];
        options?: never;
        head?: never;
        /**
         * Change the description (developers and up) or the visibility override (organization admins)
         * @description Both permissions are checked before anything changes. Answers the repository as it is now.
         */
        patch: operations["Repositories_update"];
        trace?: never;
    };
    "/api/v1/repositories/{name}/artifacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the top-level artifacts of a repository with their tags
         * @description As Harbor lists them: every manifest that carries a tag, and every untagged one that is neither a referrer of a manifest of the repository (signatures, SBOMs: see the detail of their subject) nor a child of one of its indexes (see the index). Keyset-paged.
         */
        get: operations["Artifacts_listArtifacts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{name}/artifacts/{digest}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One artifact: manifest, config, layers, build history, children of an index, referrers by artifact type
         * @description The config is read from blob storage when it is JSON of at most 1 MiB.
         */
        get: operations["Artifacts_getArtifact"];
        put?: never;
        post?: never;
        /**
         * Delete an artifact with every tag on it and its referrers (maintainers and up)
         * @description Its referrers in the repository (signatures, SBOMs, attestations), and theirs, go with it; a referrer that an index lists stays. /v2 DELETE deletes the manifest alone.
         */
        delete: operations["Artifacts_deleteArtifact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{name}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the tags of a repository, one row per tag, with its artifact
         * @description Keyset-paged on indexes, so that deep pages stay fast on repositories with many thousands of tags. Pass nextCursor as cursor, with the same sort.
         */
        get: operations["Artifacts_listTags"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{name}/tags/{tag}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a tag; its artifact stays (maintainers and up) */
        delete: operations["Artifacts_deleteTag"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/repositories/{name}/usage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Storage used by one repository (who may read it)
         * @description logicalBytes counts, in each repository, every blob it links once, and sums the repositories; deduplicatedBytes counts every distinct blob once, as it is stored; manifestBytes is the manifests themselves.
         */
        get: operations["Usage_repository"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organization roles, weakest first, each with what it allows */
        get: operations["Roles_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in, and the CSRF token of the session */
        get: operations["Session_current"];
        put?: never;
        /** Sign in with a user name and password; starts a new session (cookie) */
        post: operations["Session_signIn"];
        /** Sign out: the session ends on the server */
        delete: operations["Session_signOut"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Version, health, the registry host for pull commands, whether self-registration is on */
        get: operations["System_info"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/system/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change system settings (system administrators) */
        put: operations["System_updateSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List and search users by name (system administrators) */
        get: operations["Users_list"];
        put?: never;
        /** Create a user (system administrators) */
        post: operations["Users_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account for oneself, while self-registration is on; never an administrator */
        post: operations["Users_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/users/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Delete a user with their personal namespace and its repositories (system administrators; never oneself)
         * @description Their sessions, tokens, memberships and refresh tokens end with them.
         */
        delete: operations["Users_remove"];
        options?: never;
        head?: never;
        /**
         * Disable or enable a user, grant or revoke admin, set a password (system administrators)
         * @description Disabling or setting a password ends every session and refresh token of the user. Administrators cannot disable themselves or revoke their own admin.
         */
        patch: operations["Users_update"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApiErrorDetailDto: {
            /**
             * @description stable machine-readable code
             * @example not_found
             */
            code: string;
            /**
             * @description the field at fault, for validation errors
             * @example name
             */
            field?: string;
            /** @example organization not found */
            message: string;
        };
        ApiErrorDto: {
            error: components["schemas"]["ApiErrorDetailDto"];
        };
        ArtifactDetailDto: {
            /** @description the artifact type (for an image: its config media type) */
            artifactType: string | null;
            /** @description for an index: its manifests, in order */
            children: components["schemas"]["ChildDto"][];
            /** @description null for an index */
            config: components["schemas"]["ConfigDto"] | null;
            /** @example sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b */
            digest: string;
            /** @description the build history from the config (`history`), oldest first */
            history: components["schemas"]["HistoryEntryDto"][];
            /** Format: date-time */
            lastPulledAt: string | null;
            layers: components["schemas"]["LayerDto"][];
            /** @description the manifest as pushed, parsed */
            manifest: {
                [key: string]: unknown;
            };
            /** @description bytes of the manifest alone */
            manifestSize: number;
            /** @example application/vnd.oci.image.manifest.v1+json */
            mediaType: string;
            /** @description for an image: os and architecture from its config */
            platform?: components["schemas"]["PlatformDto"];
            /** @description for an index: the platforms of its children (attestations left out); empty for an image */
            platforms: components["schemas"]["PlatformDto"][];
            /** Format: date-time */
            pushedAt: string;
            /** @description manifests whose subject is this one (signatures, SBOMs, attestations...), grouped by artifact type */
            referrers: components["schemas"]["ReferrerGroupDto"][];
            /** @description bytes of the manifest, its blobs and, for an index, its children, as pushed */
            size: number;
            /** @description the digest of its subject, for a referrer */
            subject: string | null;
            tagCount: number;
            /** @description its tags in byte order (at most 100; see tagCount) */
            tags: string[];
        };
        ArtifactDto: {
            /** @description the artifact type (for an image: its config media type) */
            artifactType: string | null;
            /** @example sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b */
            digest: string;
            /** Format: date-time */
            lastPulledAt: string | null;
            /** @description bytes of the manifest alone */
            manifestSize: number;
            /** @example application/vnd.oci.image.manifest.v1+json */
            mediaType: string;
            /** @description for an index: the platforms of its children (attestations left out); empty for an image */
            platforms: components["schemas"]["PlatformDto"][];
            /** Format: date-time */
            pushedAt: string;
            /** @description bytes of the manifest, its blobs and, for an index, its children, as pushed */
            size: number;
            tagCount: number;
            /** @description its tags in byte order (at most 100; see tagCount) */
            tags: string[];
        };
        ArtifactPageDto: {
            items: components["schemas"]["ArtifactDto"][];
            /** @description pass as `cursor` for the next page; absent on the last page */
            nextCursor?: string;
        };
        CallerTokenDto: {
            /** Format: uuid */
            id: string;
            /** @description only these namespaces, when set */
            namespaces: string[] | null;
            /** @description only repositories matching these globs, when set */
            repositories: string[] | null;
            /** @enum {string} */
            scope: "read" | "read-write" | "read-write-delete";
        };
        ChangePasswordDto: {
            /** Format: password */
            currentPassword: string;
            /** Format: password */
            newPassword: string;
        };
        ChildDto: {
            annotations?: {
                [key: string]: string;
            };
            digest: string;
            mediaType: string;
            platform?: components["schemas"]["PlatformDto"];
            /** @description bytes of the child manifest, as the index declares */
            size: number;
            /** @description bytes of the child with its blobs, when the repository holds it */
            totalSize?: number;
        };
        ConfigDto: {
            /** @description the config blob as JSON; null when it is not JSON or larger than 1 MiB */
            content: {
                [key: string]: unknown;
            } | null;
            digest: string;
            /** @example application/vnd.oci.image.config.v1+json */
            mediaType: string;
            size: number;
        };
        CreateOrganizationDto: {
            /** @example Images of the ACME product line */
            description?: string;
            /**
             * @description lower-case letters, digits and separators (. _ __ -); users and organizations share one name space
             * @example acme
             */
            name: string;
            /**
             * @description public: anyone, even without signing in, may pull and browse
             * @default false
             */
            public: boolean;
        };
        CreatePersonalTokenDto: {
            /**
             * Format: date-time
             * @description absent or null: never expires
             */
            expiresAt?: string | null;
            /**
             * @description letters, digits, spaces, . _ -
             * @example laptop
             */
            name: string;
            /**
             * @description limit the token to these namespaces
             * @example [
             *       "acme"
             *     ]
             */
            namespaces?: string[];
            /**
             * @description limit the token to repositories matching these globs
             * @example [
             *       "acme/app/*"
             *     ]
             */
            repositories?: string[];
            /** @enum {string} */
            scope: "read" | "read-write" | "read-write-delete";
        };
        CreateRobotDto: {
            description?: string;
            /**
             * Format: date-time
             * @description when it stops working; never when absent
             */
            expiresAt?: string;
            /**
             * @description lower-case letters, digits, . _ -, at most 64 characters
             * @example ci
             */
            name: string;
            /** @description one to 100 permission lines; never more than the creator holds */
            rules: components["schemas"]["RobotRuleDto"][];
        };
        CreateTeamDto: {
            /**
             * @description letters, digits, spaces, . _ -, at most 100 characters
             * @example Release engineering
             */
            name: string;
            /**
             * @description every member of the team holds at least this role
             * @enum {string}
             */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
        };
        CreateUserDto: {
            /**
             * @description system administrator
             * @default false
             */
            admin: boolean;
            /** @example alice@example.com */
            email?: string;
            /**
             * @description lower-case letters, digits and separators (. _ __ -); also the personal namespace
             * @example alice
             */
            name: string;
            /** Format: password */
            password: string;
        };
        CreatedPersonalTokenDto: {
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description null: never expires
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description last use, to the minute
             */
            lastUsedAt: string | null;
            /** @example laptop */
            name: string;
            /** @description only these namespaces, when set */
            namespaces: string[] | null;
            /** @description only repositories matching these globs, when set */
            repositories: string[] | null;
            /** @enum {string} */
            scope: "read" | "read-write" | "read-write-delete";
            /**
             * @description shown this once: use it as the password of docker login, or as a Bearer token
             * @example wharf_pat_0123456789abcdef0123456789abcdef_…
             */
            secret: string;
        };
        HistoryEntryDto: {
            author?: string;
            comment?: string;
            /** Format: date-time */
            created?: string;
            /**
             * @description the build step (`created_by`)
             * @example /bin/sh -c apk add curl
             */
            createdBy?: string;
            /** @description the step made no layer (`empty_layer`) */
            emptyLayer: boolean;
        };
        LayerDto: {
            annotations?: {
                [key: string]: string;
            };
            digest: string;
            /** @example application/vnd.oci.image.layer.v1.tar+gzip */
            mediaType: string;
            size: number;
        };
        MeDto: {
            /** @description system administrator */
            admin: boolean;
            /** Format: date-time */
            createdAt: string;
            /** @example alice@example.com */
            email: string | null;
            /** @example 12 */
            id: string;
            /** Format: date-time */
            lastLoginAt: string | null;
            /** @example alice */
            name: string;
            /** @description the personal access token of this request; null in a session */
            token: components["schemas"]["CallerTokenDto"] | null;
            /**
             * @description how this request was authenticated
             * @enum {string}
             */
            via: "session" | "token";
        };
        MemberDto: {
            /**
             * @description user name
             * @example alice
             */
            name: string;
            /**
             * @description the role held directly; teams may give a higher one
             * @enum {string}
             */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
        };
        MemberPageDto: {
            items: components["schemas"]["MemberDto"][];
            /** @description pass as `cursor` for the next page; absent on the last page */
            nextCursor?: string;
        };
        OrganizationDto: {
            /** Format: date-time */
            createdAt: string;
            /** @example  */
            description: string;
            /** @example acme */
            name: string;
            /** @description what the caller may do here (repository permissions: on its private repositories), so a portal shows only usable controls */
            permissions: ("namespace:read" | "namespace:update" | "namespace:delete" | "member:read" | "member:manage" | "robot:read" | "robot:manage" | "repository:read" | "repository:pull" | "repository:push" | "repository:update" | "repository:delete" | "artifact:delete" | "tag:delete")[];
            /** @description anyone, even without signing in, may pull and browse */
            public: boolean;
            /**
             * @description the repositories the caller may read (outsiders of a public organization: its public ones)
             * @example 3
             */
            repositoryCount: number;
            /**
             * @description the role the caller acts with here (admin for system administrators); null for none
             * @enum {string|null}
             */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin" | null;
        };
        OrganizationPageDto: {
            items: components["schemas"]["OrganizationDto"][];
            /** @description pass as `cursor` for the next page; absent on the last page */
            nextCursor?: string;
        };
        PersonalTokenDto: {
            /** Format: date-time */
            createdAt: string;
            /**
             * Format: date-time
             * @description null: never expires
             */
            expiresAt: string | null;
            /** Format: uuid */
            id: string;
            /**
             * Format: date-time
             * @description last use, to the minute
             */
            lastUsedAt: string | null;
            /** @example laptop */
            name: string;
            /** @description only these namespaces, when set */
            namespaces: string[] | null;
            /** @description only repositories matching these globs, when set */
            repositories: string[] | null;
            /** @enum {string} */
            scope: "read" | "read-write" | "read-write-delete";
        };
        PersonalTokenListDto: {
            items: components["schemas"]["PersonalTokenDto"][];
        };
        PlatformDto: {
            /** @example arm64 */
            architecture: string;
            /** @example linux */
            os: string;
            /** @example v8 */
            variant?: string;
        };
        ReferrerDto: {
            annotations?: {
                [key: string]: string;
            };
            digest: string;
            mediaType: string;
            /** @description bytes of the referrer manifest */
            size: number;
        };
        ReferrerGroupDto: {
            /**
             * @description null for referrers without one
             * @example application/vnd.dev.cosign.artifact.sig.v1+json
             */
            artifactType: string | null;
            referrers: components["schemas"]["ReferrerDto"][];
        };
        RegisterDto: {
            /** @example alice@example.com */
            email?: string;
            /**
             * @description lower-case letters, digits and separators (. _ __ -); also the personal namespace
             * @example alice
             */
            name: string;
            /** Format: password */
            password: string;
        };
        RepositoryDto: {
            /** @description markdown, as stored: render it sanitised */
            description: string;
            /**
             * Format: date-time
             * @description the latest manifest push; null when it holds no manifest
             */
            lastPushedAt: string | null;
            /** @example acme/team/app */
            name: string;
            /**
             * @description the organization or personal namespace: the first path component
             * @example acme
             */
            namespace: string;
            /** @description what the caller may do with this repository; given when one repository is asked for, so a portal shows only usable controls */
            permissions?: ("namespace:read" | "namespace:update" | "namespace:delete" | "member:read" | "member:manage" | "robot:read" | "robot:manage" | "repository:read" | "repository:pull" | "repository:push" | "repository:update" | "repository:delete" | "artifact:delete" | "tag:delete")[];
            /** @description whether anyone, even anonymous, may pull it: its override, else its namespace’s visibility */
            public: boolean;
            /** @description the repository’s own visibility; null follows its namespace */
            publicOverride: boolean | null;
            /** @example 12 */
            tagCount: number;
        };
        RepositoryPageDto: {
            items: components["schemas"]["RepositoryDto"][];
            /** @description pass as `cursor` for the next page; absent on the last page */
            nextCursor?: string;
        };
        RobotDto: {
            /** Format: date-time */
            createdAt: string;
            /** @example  */
            description: string;
            disabled: boolean;
            /** @description whether expiresAt has passed */
            expired: boolean;
            /** Format: date-time */
            expiresAt: string | null;
            /** @example 12 */
            id: string;
            /**
             * Format: date-time
             * @description last time it obtained a token
             */
            lastUsedAt: string | null;
            /** @example ci */
            name: string;
            rules: components["schemas"]["RobotRuleDto"][];
            /**
             * @description the user name for docker login
             * @example robot$acme+ci
             */
            username: string;
        };
        RobotListDto: {
            items: components["schemas"]["RobotDto"][];
        };
        RobotRuleDto: {
            /**
             * @description push and delete imply pull
             * @example [
             *       "pull",
             *       "push"
             *     ]
             */
            actions: ("pull" | "push" | "delete")[];
            /**
             * @description a glob over repository paths inside the organization: `*` within one segment, `**` across
             * @example app/*
             */
            pattern: string;
        };
        RobotWithSecretDto: {
            /** Format: date-time */
            createdAt: string;
            /** @example  */
            description: string;
            disabled: boolean;
            /** @description whether expiresAt has passed */
            expired: boolean;
            /** Format: date-time */
            expiresAt: string | null;
            /** @example 12 */
            id: string;
            /**
             * Format: date-time
             * @description last time it obtained a token
             */
            lastUsedAt: string | null;
            /** @example ci */
            name: string;
            rules: components["schemas"]["RobotRuleDto"][];
            /**
             * @description shown this once: Wharf keeps only a hash
             * @example wharf_robot_…
             */
            secret: string;
            /**
             * @description the user name for docker login
             * @example robot$acme+ci
             */
            username: string;
        };
        RoleDto: {
            /** @example Pulls and pushes; edits repository descriptions. */
            description: string;
            /** @description every permission the role holds in its organization */
            permissions: ("namespace:read" | "namespace:update" | "namespace:delete" | "member:read" | "member:manage" | "robot:read" | "robot:manage" | "repository:read" | "repository:pull" | "repository:push" | "repository:update" | "repository:delete" | "artifact:delete" | "tag:delete")[];
            /** @enum {string} */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
            /** @example Developer */
            title: string;
        };
        RoleListDto: {
            /** @description weakest first */
            items: components["schemas"]["RoleDto"][];
        };
        SessionDto: {
            /** @description send it back as X-CSRF-Token on every state-changing call */
            csrfToken: string | null;
            /** Format: date-time */
            expiresAt: string | null;
            /** @description null when nobody is signed in */
            user: components["schemas"]["UserSummaryDto"] | null;
        };
        SetMemberDto: {
            /**
             * @description see GET /api/v1/roles
             * @example developer
             * @enum {string}
             */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
        };
        SignInDto: {
            /**
             * Format: password
             * @example correct horse battery staple
             */
            password: string;
            /** @example alice */
            username: string;
        };
        SystemDto: {
            /**
             * @example {
             *       "database": "up",
             *       "storage": "up"
             *     }
             */
            health: Record<string, never>;
            /**
             * @description host name for pull commands (host[:port])
             * @example registry.example.com
             */
            registryHost: string;
            /** @description whether anyone may create an account */
            selfRegistration: boolean;
            /** @example 0.1.0 */
            version: string;
        };
        SystemSettingsDto: {
            selfRegistration: boolean;
        };
        TagDto: {
            /** @description the artifact type (for an image: its config media type) */
            artifactType: string | null;
            /** @example sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b */
            digest: string;
            /**
             * Format: date-time
             * @description when its manifest was last pulled (recorded in batches, a few seconds late)
             */
            lastPulledAt: string | null;
            /**
             * @description media type of the manifest
             * @example application/vnd.oci.image.index.v1+json
             */
            mediaType: string;
            /** @example v1.2.3 */
            name: string;
            /** @description for an index: the platforms of its children (attestations left out); empty for an image */
            platforms: components["schemas"]["PlatformDto"][];
            /**
             * Format: date-time
             * @description when the tag was last pointed at a manifest
             */
            pushedAt: string;
            /** @description bytes of the manifest, its blobs and, for an index, its children, as pushed */
            size: number;
        };
        TagPageDto: {
            items: components["schemas"]["TagDto"][];
            /** @description pass as `cursor` for the next page; absent on the last page */
            nextCursor?: string;
        };
        TeamDto: {
            /** @example 7 */
            id: string;
            /** @example Release engineering */
            name: string;
            /** @enum {string} */
            role: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
        };
        TeamListDto: {
            items: components["schemas"]["TeamDto"][];
        };
        TeamMemberListDto: {
            /** @description each with the team's role */
            items: components["schemas"]["MemberDto"][];
        };
        UpdateOrganizationDto: {
            description?: string;
            /** @description public: anyone, even without signing in, may pull and browse */
            public?: boolean;
        };
        UpdateRepositoryDto: {
            /** @description markdown, at most 65536 bytes in UTF-8, stored as given (the portal sanitises it when rendering). Needs developer or higher. */
            description?: string;
            /** @description visibility override: true (public), false (private) or null (as its organization). Organization admins only; not for personal namespaces. */
            public?: boolean | null;
        };
        UpdateRobotDto: {
            description?: string;
            /** @description a disabled robot gets no token, and its refresh tokens end */
            disabled?: boolean;
            /**
             * Format: date-time
             * @description null: never expires; a past time expires it now
             */
            expiresAt?: string | null;
            /** @description replaces every permission line */
            rules?: components["schemas"]["RobotRuleDto"][];
        };
        UpdateTeamDto: {
            /** @example Release engineering */
            name?: string;
            /** @enum {string} */
            role?: "limited-guest" | "guest" | "developer" | "maintainer" | "admin";
        };
        UpdateUserDto: {
            /** @description grant or revoke system administration */
            admin?: boolean;
            /** @description disabling ends every session and refresh token of the user */
            disabled?: boolean;
            /**
             * Format: password
             * @description a new password; ends every session and refresh token of the user
             */
            password?: string;
        };
        UsageDto: {
            /** @description distinct blobs counted in deduplicatedBytes */
            blobs: number;
            /** @description deduplicated bytes, what is stored: every distinct blob linked to any of the repositories counts once (for one repository, equal to logicalBytes) */
            deduplicatedBytes: number;
            /** @description logical bytes, what was pushed: every blob (config or layer, uploaded or mounted) linked to a repository counts once in that repository, and an organization sums its repositories, so a layer shared by two repositories counts twice */
            logicalBytes: number;
            /** @description bytes of the manifests and indexes themselves (kept in the database, one copy per repository); not in the two totals above */
            manifestBytes: number;
            manifests: number;
            /** @description repositories counted */
            repositories: number;
        };
        UserDto: {
            /** @description system administrator */
            admin: boolean;
            /** Format: date-time */
            createdAt: string;
            /** @description a disabled user cannot sign in, log in or use tokens */
            disabled: boolean;
            /** @example alice@example.com */
            email: string | null;
            /** @example 12 */
            id: string;
            /** Format: date-time */
            lastLoginAt: string | null;
            /** @example alice */
            name: string;
        };
        UserPageDto: {
            items: components["schemas"]["UserDto"][];
            /** @description absent on the last page */
            nextCursor?: string;
        };
        UserSummaryDto: {
            /** @description system administrator */
            admin: boolean;
            /** @example 12 */
            id: string;
            /** @example alice */
            name: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    Account_profile: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MeDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Account_changePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangePasswordDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description currentPassword is wrong, or newPassword too short */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in to the portal (a token may not change the password) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Account_listTokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PersonalTokenListDto"];
                };
            };
            /** @description not signed in to the portal (a token may not list tokens) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Account_createToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreatePersonalTokenDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedPersonalTokenDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in to the portal (a token may not mint tokens) */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description a token of this name exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Account_revokeToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in to the portal */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such token of mine */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Organizations_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only organizations whose name contains this text (literally) */
                q?: string;
                sort?: "name";
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationPageDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Organizations_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateOrganizationDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Organizations_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Organizations_delete: {
        parameters: {
            query?: {
                /** @description delete it with every repository it holds */
                force?: "true" | "false";
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Organizations_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateOrganizationDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrganizationDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Members_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
            };
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberPageDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Members_set: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                user: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetMemberDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Members_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Robots_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RobotListDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Robots_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateRobotDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RobotWithSecretDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Robots_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Robots_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRobotDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RobotDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Robots_rotateSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RobotWithSecretDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_list: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamListDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_create: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTeamDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                teamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                teamId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTeamDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description conflicts with what exists */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                teamId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TeamMemberListDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_addMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                teamId: string;
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Teams_removeMember: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
                teamId: string;
                user: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Usage_organization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageDto"];
                };
            };
            /** @description no such organization, or one the caller may not see (the same answer) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Repositories_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only repositories whose name contains this text (case-insensitive, no wildcard) */
                q?: string;
                /** @description only repositories of this organization or personal namespace */
                namespace?: string;
                /** @description `pushed`: by the latest push (a repository never pushed to: by its creation) */
                sort?: "name" | "pushed";
                /** @description default: `asc` by name, `desc` (newest first) by push time */
                order?: "asc" | "desc";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepositoryPageDto"];
                };
            };
            /** @description a malformed name, query or body (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Repositories_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepositoryDto"];
                };
            };
            /** @description a malformed name, query or body (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository, or one the caller may not see (the same answer) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Repositories_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a malformed name, query or body (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository, or one the caller may not see (the same answer) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Repositories_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateRepositoryDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RepositoryDto"];
                };
            };
            /** @description a malformed name, query or body (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description the caller may read the repository but not make this change */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository, or one the caller may not see (the same answer) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Artifacts_listArtifacts: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only artifacts with a tag containing this text (case-insensitive, no wildcard) */
                q?: string;
                /** @description `pushed`: when the manifest was last pushed; `size`: its total size */
                sort?: "pushed" | "size";
                /** @description default: `desc` (newest, largest first) */
                order?: "asc" | "desc";
            };
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactPageDto"];
                };
            };
            /** @description a malformed name, digest, tag, sort, order or cursor (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository (or one the caller may not see), tag or artifact */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Artifacts_getArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
                /** @description a manifest digest, `sha256:` and 64 lower-case hex digits (or `sha512:` and 128); anything else is refused with 400 */
                digest: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ArtifactDetailDto"];
                };
            };
            /** @description a malformed name, digest, tag, sort, order or cursor (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository (or one the caller may not see), tag or artifact */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Artifacts_deleteArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
                /** @description a manifest digest, `sha256:` and 64 lower-case hex digits (or `sha512:` and 128); anything else is refused with 400 */
                digest: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a malformed name, digest, tag, sort, order or cursor (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description the caller may read the repository but not delete in it (maintainers and up) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository (or one the caller may not see), tag or artifact */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description an index of the repository lists this manifest: delete the index first */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Artifacts_listTags: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only tags containing this text (case-insensitive, no wildcard) */
                q?: string;
                /** @description `pushed`: when the tag was last pointed at a manifest; `size`: the total size of its artifact */
                sort?: "name" | "pushed" | "size";
                /** @description default: `asc` by name, `desc` (newest, largest first) by push time and size */
                order?: "asc" | "desc";
            };
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TagPageDto"];
                };
            };
            /** @description a malformed name, digest, tag, sort, order or cursor (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository (or one the caller may not see), tag or artifact */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Artifacts_deleteTag: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
                tag: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description a malformed name, digest, tag, sort, order or cursor (the field is named) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description the caller may read the repository but not delete in it (maintainers and up) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository (or one the caller may not see), tag or artifact */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Usage_repository: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The full repository name as ONE path segment: encode it as a URI component, so that each `/` becomes `%2F` (`/api/v1/repositories/acme%2Fteam%2Fapp` for acme/team/app; the router decodes it back). An unencoded name matches no route. */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UsageDto"];
                };
            };
            /** @description a malformed repository name */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description no such repository, or one the caller may not see (the same answer) */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Roles_list: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RoleListDto"];
                };
            };
        };
    };
    Session_current: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
        };
    };
    Session_signIn: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SignInDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionDto"];
                };
            };
            /** @description wrong user name or password */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description too many failed attempts; see Retry-After */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Session_signOut: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    System_info: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SystemDto"];
                };
            };
        };
    };
    System_updateSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SystemSettingsDto"];
            };
        };
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Users_list: {
        parameters: {
            query?: {
                limit?: number;
                /** @description nextCursor of the previous page */
                cursor?: string;
                /** @description only users whose name or email contains this (case-insensitive) */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserPageDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Users_create: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateUserDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description the name is taken by a user or an organization */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Users_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterDto"];
            };
        };
        responses: {
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description invalid or unknown fields (such as admin) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description self-registration is switched off */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description the name is taken */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Users_remove: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
    Users_update: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateUserDto"];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserDto"];
                };
            };
            /** @description a field is invalid or unknown (the error names it) */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description not signed in */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description signed in, but the role (or the token scope) does not allow it */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
            /** @description does not exist, or the caller may not see it */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiErrorDto"];
                };
            };
        };
    };
}
